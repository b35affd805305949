"""Each dashboard page makes a fixed number of queries, whatever the number of rows it shows.

Every test renders a page twice, small and large, and pins the same count for both.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.urls import reverse

from casework.models import Actor, LegalArgument, LegalBasis, RequestStatus, Stance
from casework.services import position_record, request_update_status
from core.middleware import SessionAbsoluteTimeoutMiddleware
from events.models import EventActor
from events.services import CitedSource, event_record
from tests import factories
from tests.dashboard_data import build_kursk_case
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_storage", "content_types_cached")


@pytest.fixture
def content_types_cached(db):
    """A process reads each content type once and keeps it (the translations' prefetch
    names its record's type); the counts below are those of every later page."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_models(*apps.get_models())


# Every signed-in page: the session (a row here; read from Redis, no query, where
# REDIS_URL is set: SESSION_ENGINE cached_db), the user with their permissions and
# their language and time zone in one query (core.backends.VigilModelBackend.get_user),
# and the request's savepoint and its release (ATOMIC_REQUESTS, nested in the test's
# transaction); the header's count of unread notifications (watch.context_processors:
# once per request). The session is not saved again: a read changes nothing, and
# the idle timeout is renewed at most once a minute (SESSION_REFRESH_SECONDS; the
# fixture below renewed it just now).
PER_REQUEST = 4 + 1

# The home page's overview is kept in the cache (the database cache in tests):
# reading it is one query; storing it five (savepoint, cull count, look up the
# key, write it, release).
CACHE_GET, CACHE_SET = 1, 5
# Three of its lists run within a time budget (core.budget): a savepoint, its
# statement_timeout, and the savepoint rolled back and released. Its figures
# (casework.counts.home_figures) are read from the database's counters: two
# queries (the counters, then what the user's own restricted cases add).
BUDGET = 4
# The cache key carries the access generation (casework.access.access_generation): one query.
ACCESS_GENERATION = 1
# Every page showing case records asks which of their cases are restricted, for the
# view log (core.middleware.ViewLogMiddleware): one query (these cases are not restricted).
VIEW_LOG = 1
# The home page's list of people at risk now (watch.templatetags.watch.at_risk_now): one query.
AT_RISK = 1
HOME_QUERIES = (
    PER_REQUEST + 8 + 3 * BUDGET + ACCESS_GENERATION + CACHE_SET + AT_RISK + VIEW_LOG
)  # ?fresh=1: computed and stored, not read
# the overview from the cache; my follow-ups are live
HOME_CACHED_QUERIES = PER_REQUEST + ACCESS_GENERATION + CACHE_GET + 1 + AT_RISK + VIEW_LOG
# stalled requests (with person, case, addressee) · waiting supplies (the same) ·
# the number of stalled requests (the card) · the latest events in my own
# cases (with case) · cases by status (the open count is their sum) · detainees
# by status · requests by status · my follow-ups due · reviews due · conditional
# positions (with government, case, request, source)

CASE_LIST_QUERIES = PER_REQUEST + 3 + VIEW_LOG
# count (pagination) · the page of cases (with lead, open-request count) · their detainees

# 6: translations of requests, events, positions, notes, files; 3: the legal arguments of the
# requests and of the timeline's interventions, the actors present at its events (one prefetch each)
# The follow button of the case and person pages (watch.templatetags.watch.follow_button): one query.
FOLLOW = 1
CASE_PAGE_QUERIES = PER_REQUEST + 19 + 6 + 3 + FOLLOW + VIEW_LOG
# (the view's: the case; then dashboard.selectors.case_page's, and the template tags' selectors)
# the case (with lead) · requests (with person, addressee, last movement) · their
# updates · subjects (with person) · their names · their detentions · follow-ups ·
# team · involvements · latest statements · timeline: the page's keys (one UNION
# ALL), events, request updates, positions, interventions, and every entry's citations in one · notes · the
# follow-up form's assignees are the team already read, not a query · evidence (templatetags/evidence.py): the case's
# files, and the timeline's files in one (with their links, one more each, when
# there are files) · the translations of the requests' words, the events, the
# positions and the notes (core.models.TextTranslation: one prefetch each)

PERSON_PAGE_QUERIES = PER_REQUEST + 7 + FOLLOW + VIEW_LOG
# the person · names · identifiers · detentions · cases · requests · events


def signed_in(client, user):
    client.force_login(user)
    session = client.session
    # What the first page after signing in writes into the session (then saved): sign-in time, renewal.
    session[SessionAbsoluteTimeoutMiddleware.KEY] = session[SessionAbsoluteTimeoutMiddleware.RENEWED] = time.time()
    session.save()
    return client


def grow_case(case, *, events: int, updates: int, positions: int):
    """Add timeline entries to ``case``, each cited, so a larger page is really larger."""
    source = factories.SourceFactory()
    person = case.subjects.first().person
    involvement = case.involvements.first()
    requests = [factories.StatedRequestFactory(case=case, person=person) for _ in range(3)]
    for number in range(events):
        event_record(
            user=None,
            case=case,
            kind="media_report",
            title=f"Report {number}",
            occurred_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
            people=[person],
            sources=[CitedSource(source)],
        )
    for number in range(updates):
        request_update_status(
            request=requests[number % 3],
            status=RequestStatus.IN_PROGRESS,
            occurred_on=datetime.date(2025, 3, 1) + datetime.timedelta(days=number),
            source=source,
        )
    for number in range(positions):
        position_record(
            involvement=involvement,
            request=requests[number % 3],
            stance=Stance.CONDITIONAL,
            condition="if verified",
            stated_on=datetime.date(2025, 4, 1) + datetime.timedelta(days=number),
            source=source,
        )
    basis = LegalBasis.objects.get_or_create(name="Non-refoulement")[0]
    actor = Actor.objects.create(kind="organisation", name="ICRC")
    for event in case.events.all():
        EventActor.objects.create(event=event, actor=actor, part="visited")
    for number in range(3):
        factories.CaseNoteFactory(case=case, body=f"Note {number}")
        factories.FollowUpFactory(case=case, title=f"Follow-up {number}")
        intervention = factories.InterventionFactory(case=case)
        LegalArgument.objects.create(case=case, basis=basis, intervention=intervention, argued_by=actor)
        LegalArgument.objects.create(case=case, basis=basis, request=requests[number], argument=f"Argument {number}")


def test_home_makes_a_fixed_number_of_queries(client, editor, django_assert_num_queries):
    case = build_kursk_case(lead=editor)
    signed_in(client, editor)
    with django_assert_num_queries(HOME_QUERIES):
        client.get(reverse("home"), {"fresh": "1"})
    grow_case(case, events=20, updates=12, positions=6)
    for _ in range(5):
        factories.FollowUpFactory(case=case, assignee=editor, due_on=datetime.date.today())
        build_kursk_case(title="Another case")
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"), {"fresh": "1"})
    assert len(response.context["stalled_requests"]) > 5


def test_home_keeps_its_overview_for_a_while_and_says_how_old_it_is(client, editor, django_assert_num_queries):
    build_kursk_case(lead=editor)
    signed_in(client, editor)
    first = client.get(reverse("home")).context["open_case_count"]
    factories.CaseFactory(title="Opened a moment later")  # with no one in it: nobody's access changes
    with django_assert_num_queries(HOME_CACHED_QUERIES):
        response = client.get(reverse("home"))
    assert response.context["open_case_count"] == first
    assert "Figures as of" in response.content.decode()
    assert client.get(reverse("home"), {"fresh": "1"}).context["open_case_count"] == first + 1


def test_home_without_a_cache_time_is_always_fresh(client, editor, settings):
    settings.VIGIL_HOME_CACHE_SECONDS = 0
    build_kursk_case(lead=editor)
    signed_in(client, editor)
    first = client.get(reverse("home")).context["open_case_count"]
    build_kursk_case(title="Opened a moment later")
    assert client.get(reverse("home")).context["open_case_count"] == first + 1


def test_the_cases_list_makes_a_fixed_number_of_queries(client, editor, django_assert_num_queries):
    build_kursk_case()
    signed_in(client, editor)
    with django_assert_num_queries(CASE_LIST_QUERIES):
        client.get(reverse("case_list"), {"status": "active"})
    for _ in range(30):
        case = factories.CaseFactory(status="active")
        factories.CaseSubjectFactory(case=case)
        factories.StatedRequestFactory(case=case)
    with django_assert_num_queries(CASE_LIST_QUERIES):
        response = client.get(reverse("case_list"), {"status": "active", "sort": "priority"})
    assert len(response.context["cases"]) == 25


@pytest.mark.parametrize(("events", "updates", "positions"), [(4, 3, 3), (150, 30, 20)], ids=["10", "200"])
def test_the_case_page_makes_a_fixed_number_of_queries(
    client, editor, django_assert_num_queries, events, updates, positions
):
    case = build_kursk_case(lead=editor)
    grow_case(case, events=events, updates=updates, positions=positions)
    signed_in(client, editor)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = client.get(case.get_absolute_url(), {"timeline": "all"})
    # The seed case's own 5 entries (capture, welfare hidden from Erin, 1 update, 2 positions) and 3 interventions.
    assert len(response.context["timeline"]) == events + updates + positions + 4 + 3
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        client.get(case.get_absolute_url())  # the latest entries only: the same queries


def test_a_long_timeline_shows_its_latest_entries_and_links_to_the_whole(client, editor):
    case = build_kursk_case(lead=editor)
    grow_case(case, events=150, updates=30, positions=20)
    signed_in(client, editor)
    whole = client.get(case.get_absolute_url(), {"timeline": "all"}).context["timeline"]
    response = client.get(case.get_absolute_url())
    shown = response.context["timeline"]
    assert len(whole) > 200 and len(shown) == 100
    assert [entry.key for entry in shown] == [entry.key for entry in whole[-100:]]
    assert [entry.citations for entry in shown] == [entry.citations for entry in whole[-100:]]
    assert "Show the whole timeline" in response.content.decode()
    assert "Show the whole timeline" not in client.get(case.get_absolute_url(), {"timeline": "all"}).content.decode()


def test_the_person_page_makes_a_fixed_number_of_queries(client, editor, django_assert_num_queries):
    case = build_kursk_case()
    person = case.subjects.first().person
    signed_in(client, editor)
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        client.get(person.get_absolute_url())
    grow_case(case, events=30, updates=3, positions=0)
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        client.get(person.get_absolute_url())
