"""Reads for the dashboard's pages that join several apps: one selector per page, called once by its
view, returning a dataclass of everything the page shows (the translations page: the record itself).
Each starts from ``visible_to(user)`` (or from a record the caller found through it) and makes a
fixed number of queries whatever the sizes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casework import selectors as casework_selectors
from casework.access import access_generation
from casework.counts import home_figures
from casework.models import Case, CaseNote, CaseSubject, FollowUp, StatedRequest
from core.access import sees_sensitive
from core.budget import QueryCanceled, statement_budget
from core.exposure import is_sensitive_row, redact
from core.shown import note as note_shown
from events.models import Event, Source
from events.selectors import case_sources
from events.timeline import TimelineEntry, case_timeline, timeline_page
from people.models import Detention, Person, PersonIdentifier, PersonName
from people.reader_names import attach_reader_names


@dataclass
class PersonPage:
    """A person, what they are called and where they are held, the cases they are in, their requests and
    the events about them, as one user may see them."""

    person: Person
    names: list[PersonName]
    identifiers: list[PersonIdentifier]
    detentions: list[Detention]
    subjects: list[CaseSubject]
    requests: list[StatedRequest]
    events: list[Event]


def person_page(*, pk: int, user) -> PersonPage:
    """The person page of person ``pk`` (404 unless ``user`` may see them). Seven queries."""
    person = get_object_or_404(Person.objects.visible_to(user).select_related("depends_on"), pk=pk)
    redact(person, user)  # what the user may not read is blank (core/exposure/)
    # visible_to() leaves out what is sensitive (service numbers, welfare incidents) for those not allowed.
    identifiers = PersonIdentifier.objects.visible_to(user).filter(person=person).order_by("kind", "value")
    events = Event.objects.visible_to(user).filter(event_people__person=person)
    return PersonPage(
        person=person,
        names=list(person.names.order_by("kind", "name")),
        identifiers=list(identifiers),
        detentions=list(
            Detention.objects.filter(person=person)
            .select_related("authority")
            .order_by(F("started_on").desc(nulls_last=True), "-id")
        ),
        subjects=list(
            CaseSubject.objects.visible_to(user)
            .filter(person=person)
            .select_related("case")
            .order_by("-case__opened_on")
        ),
        requests=list(
            StatedRequest.objects.visible_to(user)
            .filter(person=person)
            .select_related("case", "addressed_to")
            .order_by("first_stated_on", "id")
        ),
        events=list(events.select_related("case").order_by(F("occurred_on").asc(nulls_last=True), "id")),
    )


# ------------------------------------------------------------------ case page

TIMELINE_SHOWN = 100  # the case page's latest timeline entries; the whole timeline is a link away


@dataclass
class CasePage:
    """A case as one user may see it: its people and what they asked, the governments and what they
    said, its timeline (the latest entries, or what ``timeline_filters`` asked for), the team's notes
    and follow-ups."""

    case: Case
    team: list
    subjects: list[CaseSubject]
    requests: list[StatedRequest]
    matrix: casework_selectors.PositionMatrix
    timeline: list[TimelineEntry]
    timeline_earlier: bool
    notes: list[CaseNote]
    open_follow_ups: list[FollowUp]
    done_follow_ups: list[FollowUp]
    sees_sensitive: bool


def case_page(*, case: Case, user, whole_timeline: bool = False, timeline_filters: dict | None = None) -> CasePage:
    """The case page of ``case`` (found through ``visible_to(user)``: ``casework.views.common.visible_case``).
    The timeline is its latest ``TIMELINE_SHOWN`` entries, or all of them with ``whole_timeline`` or
    ``timeline_filters`` (``events.timeline.case_timeline``'s filters). A fixed number of queries
    whatever the case's size (tests/dashboard/test_dashboard_queries.py)."""
    requests = casework_selectors.case_requests(case=case, user=user, arguments=True)
    follow_ups = list(case.follow_ups.select_related("assignee").order_by("done_at", "due_on", "id"))
    if whole_timeline or timeline_filters:
        timeline, earlier = case_timeline(case, user=user, translations=True, **(timeline_filters or {})), False
    else:
        latest = timeline_page(case, user=user, size=TIMELINE_SHOWN, last=True, translations=True)
        timeline, earlier = latest.entries, latest.has_earlier
    return CasePage(
        case=case,
        team=[m.user for m in case.members.select_related("user").order_by("user__username")],
        subjects=casework_selectors.case_subjects(case=case, user=user, requests=requests),
        requests=requests,
        matrix=casework_selectors.position_matrix(case=case, requests=requests),
        timeline=timeline,
        timeline_earlier=earlier,
        notes=list(case.notes.select_related("author").order_by("-created_at", "-id")),
        open_follow_ups=[f for f in follow_ups if not f.is_done],
        done_follow_ups=[f for f in follow_ups if f.is_done],
        sees_sensitive=sees_sensitive(user),
    )


# ------------------------------------------------------------------ home page

STALLED_SHOWN = 25
LATEST_EVENTS_SHOWN = 10


@dataclass
class HomePage:
    """What needs attention this morning across the cases a user may see: every figure, exact
    (``casework.counts.home_figures``), the stalled requests, the requests waiting supplies, reviews
    and conditional positions due, the latest events, and the user's own follow-ups. ``too_slow``
    names the lists left out because they ran past their time budget; ``overview_as_of``, when the
    figures and lists (kept in the cache a while) were worked out."""

    case_counts: list[tuple[str, str, int]]
    open_case_count: int
    detainee_counts: list[tuple[str, str, int]]
    request_counts: list[tuple[str, str, int]]
    stalled_count: int
    stalled_requests: list[StatedRequest]
    stalled_more: bool
    supplies_requests: list[StatedRequest]
    supplies_more: bool
    reviews: list[Case]
    conditional_positions: list
    latest_events: list[Event]
    latest_events_mine: bool
    too_slow: set[str]
    overview_as_of: datetime.datetime
    follow_ups: list[FollowUp]
    stalled_after_days: int


def latest_events(*, user, limit: int = LATEST_EVENTS_SHOWN) -> tuple[list[Event], bool]:
    """The latest events in the user's own cases (led or on the team), or in
    every case they may see when they have none of their own."""
    # Both walk the events' newest-first index (event_newest_idx) and stop at ``limit``.
    newest = (
        Event.objects.visible_to(user)  # sensitive events only for those allowed
        .select_related("case")
        .order_by(F("occurred_on").desc(nulls_last=True), "-created_at", "-id")
    )
    own = list(newest.filter(case__in=casework_selectors.my_case_ids(user=user))[:limit])
    if own:
        return own, True
    return list(newest[:limit]), False


def overview(*, user) -> dict:
    """The home page's figures and lists across every case the user may see.
    The figures are read from counters the database keeps (``home_figures``),
    every one exact. The lists walk indexes; they are kept in the shared cache
    for ``VIGIL_HOME_CACHE_SECONDS`` (``overview_of``), and each is given
    ``VIGIL_HOME_SECTION_SECONDS``: a list that takes longer is left out, and
    the page says so (``too_slow`` names the sections) rather than keep the
    page waiting."""
    too_slow: set[str] = set()

    def within_budget(name: str, compute, fallback):
        try:
            with statement_budget(settings.VIGIL_HOME_SECTION_SECONDS):
                return compute()
        except QueryCanceled:
            too_slow.add(name)
            return fallback

    # Every figure, exact, from the counters the database keeps (casework/counts.py).
    figures = home_figures(user)
    stalled = within_budget(
        "stalled", lambda: casework_selectors.stalled_requests(user=user, limit=STALLED_SHOWN + 1), []
    )
    supplies = within_budget(
        "supplies", lambda: casework_selectors.stalled_requests(user=user, limit=STALLED_SHOWN + 1, supplies=True), []
    )
    events, events_mine = latest_events(user=user)  # two walks of an index, stopped at 10
    open_statuses = casework_selectors.OPEN_CASE_STATUSES
    return {
        "case_counts": figures.case_counts,
        "open_case_count": sum(n for value, _label, n in figures.case_counts if value in open_statuses),
        "detainee_counts": figures.detainee_counts,
        "request_counts": figures.request_counts,
        # The card's figure and the list below it: the same rule (StatedRequestQuerySet.stalled).
        "stalled_count": figures.stalled_count,
        "stalled_requests": stalled[:STALLED_SHOWN],
        "stalled_more": len(stalled) > STALLED_SHOWN,
        "supplies_requests": supplies[:STALLED_SHOWN],
        "supplies_more": len(supplies) > STALLED_SHOWN,
        "reviews": list(casework_selectors.reviews_due(user=user)[:10]),
        "conditional_positions": within_budget(
            "positions", lambda: casework_selectors.conditional_positions(user=user), []
        ),
        "latest_events": events,
        "latest_events_mine": events_mine,
        "too_slow": too_slow,
        "overview_as_of": timezone.now(),
    }


def overview_of(*, user, fresh: bool = False) -> dict:
    """``overview(user=user)``, from the cache when it is younger than the setting (per user:
    each sees their own cases); ``fresh`` computes it again. The key carries the
    access generation (``casework.access.access_generation``): once a team, a lead,
    a confidentiality or a role changes, no cached overview is read again."""
    seconds = settings.VIGIL_HOME_CACHE_SECONDS
    key = f"home-overview:{user.pk}:{access_generation()}" if seconds else ""
    found = None if fresh or not seconds else cache.get(key)
    if found is None:
        found = overview(user=user)
        if seconds:
            cache.set(key, found, seconds)
    else:
        # Records rebuilt from the cache were not loaded by this request: note them for the view log.
        for value in found.values():
            for item in value if isinstance(value, list) else ():
                if isinstance(item, models.Model):
                    note_shown(item)
    return found


def home_page(*, user, language: str, fresh: bool = False) -> HomePage:
    """The home page of ``user``: the overview (from the cache unless ``fresh``), their follow-ups due
    (always live), and the people listed named in the reader's ``language`` (one query for them all)."""
    found = overview_of(user=user, fresh=fresh)
    people = [r.person for key in ("stalled_requests", "supplies_requests") for r in found[key]]
    people += [s.request.person for s in found["conditional_positions"] if s.request_id]
    attach_reader_names(people, language)  # 리정철 for a Korean reader
    return HomePage(
        **found,
        follow_ups=list(casework_selectors.follow_ups_due(user=user)),
        stalled_after_days=casework_selectors.stalled_after_days(),
    )


# ------------------------------------------------------------------ search

SEARCH_SHOWN = 10  # of each kind; each list links on to its own full search


@dataclass
class SearchResults:
    """The first matches of each kind a user may see, for the header's search box."""

    cases: list[Case]
    people: list[Person]
    sources: list[Source]
    events: list[Event]


def search_everything(*, user, query: str, language: str) -> SearchResults:
    """Cases (by reference, title, summary and the names of the people in them), people (by every
    spelling, named in the reader's ``language``), sources and events (by their words or any
    translation of them): the first ``SEARCH_SHOWN`` of each that ``user`` may see (``visible_to``)."""
    words = SearchQuery(query, search_type="websearch", config="english")
    people = Person.objects.visible_to(user).search_names(query)
    named = CaseSubject.objects.filter(case=OuterRef("pk"), person__in=people.values("pk"))
    cases = (
        Case.objects.visible_to(user)
        .filter(Q(search_vector=words) | Q(reference__iexact=query) | Exists(named))
        .order_by("-opened_on", "-id")
    )
    found = SearchResults(
        cases=list(cases[:SEARCH_SHOWN]),
        people=list(people[:SEARCH_SHOWN]),
        sources=list(
            Source.objects.visible_to(user)
            .filter(Q(search_vector=words) | Source.translated_as(query))
            .order_by("-published_on", "-id")[:SEARCH_SHOWN]
        ),
        events=list(
            Event.objects.visible_to(user)
            .filter(Q(search_vector=words) | Event.translated_as(query))
            .select_related("case")
            .order_by("-occurred_on", "-id")[:SEARCH_SHOWN]
        ),
    )
    attach_reader_names(found.people, language)  # one query, not one a row
    return found


# ------------------------------------------------------------- translations


def translatable_record(*, model: type[models.Model], case_path: str | None, case: Case, user, pk: int):
    """The record of ``model`` with this id in ``case`` if ``user`` may see it, with its translations:
    reached from its case through ``case_path``, or, a source (``None``), cited in the case
    (``events.selectors.case_sources``). 404 otherwise, and for a record sensitive by its values
    (a welfare incident) to who may not see sensitive details: ``visible_to`` already hides it;
    said twice, as it is the rule of the translations page."""
    if case_path is None:
        rows = case_sources(case=case, user=user)
    else:
        rows = model.objects.visible_to(user).filter(**{case_path: case}).distinct()
    record = get_object_or_404(rows.prefetch_related("translations"), pk=pk)
    values = {f.name: getattr(record, f.attname) for f in model._meta.concrete_fields}
    if is_sensitive_row(model, values) and not sees_sensitive(user):
        raise Http404
    return record
