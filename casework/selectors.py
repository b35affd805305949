"""Reads for the dashboard that grow beyond one queryset call.

Every function given a ``user`` starts from ``visible_to(user)``. Two take what
their caller already found that way instead: ``latest_statements`` (a queryset
of statements) and ``position_matrix`` (a case the user may see, and its requests
the user may see; a statement is visible with its case). Each makes a fixed number
of queries whatever the number of rows (the dashboard's query-count tests pin it).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Case as CaseWhen
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casework.filtersets import CaseFilterSet
from casework.models import (
    SETTLED_REQUEST_STATUSES,
    Case,
    CaseMember,
    CaseStatus,
    CaseSubject,
    FollowUp,
    Involvement,
    LegalArgument,
    PositionStatement,
    Priority,
    RequestStatus,
    RequestUpdate,
    Stance,
    StatedRequest,
    SubjectRole,
)
from core.dates import DatePrecision, FuzzyDate
from core.exposure import redact
from core.querysets import not_in_bin
from people.models import Detention, Person, PersonName

OPEN_CASE_STATUSES = (CaseStatus.OPEN, CaseStatus.ACTIVE, CaseStatus.STALLED)


def stalled_after_days() -> int:
    return settings.VIGIL_STALLED_AFTER_DAYS


# ------------------------------------------------------------------ requests


def stalled_requests(
    *,
    user,
    days: int | None = None,
    today: datetime.date | None = None,
    limit: int | None = None,
    supplies: bool = False,
) -> list[StatedRequest]:
    """Requests the user may see that are stalled (``StatedRequestQuerySet.stalled``: the
    one meaning of the word), or with ``supplies`` the minor ones waiting as long
    (``waiting_supplies``). Oldest movement first, annotated ``idle_days``."""
    today = today or timezone.localdate()
    visible = StatedRequest.objects.visible_to(user)
    latest_update = RequestUpdate.objects.filter(request=OuterRef("pk")).order_by(
        F("occurred_on").desc(nulls_last=True), "-created_at"
    )
    requests = (
        (visible.waiting_supplies if supplies else visible.stalled)(days=days, today=today)
        .select_related("person", "case", "addressed_to")
        # How precisely the last movement is known: "about 14 months" when only its month is.
        .annotate(moved_precision=Subquery(latest_update.values("occurred_on_precision")[:1]))
        # Oldest first; among equally old, those marked stalled first.
        .order_by("last_moved_on", CaseWhen(When(status=RequestStatus.STALLED, then=0), default=1), "id")
    )
    requests = list(requests if limit is None else requests[:limit])
    for request in requests:
        request.idle_days = days_since(value=request.last_moved_on, today=today)
        precision = request.moved_precision or (
            request.first_stated_on_precision if request.last_moved_on == request.first_stated_on else "day"
        )
        request.moved = FuzzyDate(request.last_moved_on, precision)
        request.idle_approximate = precision not in (DatePrecision.DAY, DatePrecision.UNKNOWN)
    return requests


# ----------------------------------------------------------------- positions


def latest_statements(*, statements: QuerySet[PositionStatement]) -> QuerySet[PositionStatement]:
    """The latest statement of each government on each subject (the case as a
    whole, or one request): what it says now."""
    latest = (
        statements.order_by("involvement_id", "request_id", *PositionStatement.LATEST_FIRST)
        .distinct("involvement_id", "request_id")
        .values("pk")
    )
    return PositionStatement.objects.filter(pk__in=Subquery(latest))


def conditional_positions(*, user, limit: int = 20) -> list[PositionStatement]:
    """Current positions that are conditional, across the cases the user may see, oldest statement first.

    Written to walk the conditional statements oldest first (position_conditional_idx)
    and keep those with no later statement by the same government on the same subject
    (position_latest_idx), stopping at ``limit``: a million cases hold millions of
    statements. "Later" is ``PositionStatement.LATEST_FIRST``: by date (unknown dates
    earliest), then when recorded, then id."""
    later = (
        _with_position_keys(PositionStatement.objects.all())
        .filter(involvement=OuterRef("involvement"), subject=OuterRef("subject"))
        .filter(
            Q(date_key__gt=OuterRef("date_key"))
            | Q(date_key=OuterRef("date_key"), created_at__gt=OuterRef("created_at"))
            | Q(date_key=OuterRef("date_key"), created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
    )
    return list(
        _with_position_keys(PositionStatement.objects.visible_to(user))
        .filter(stance=Stance.CONDITIONAL)
        .filter(~Exists(later))
        .select_related("involvement__government", "involvement__case", "request__person", "source")
        .order_by(F("stated_on").asc(nulls_first=True), "id")[:limit]
    )


def _with_position_keys(statements: QuerySet[PositionStatement]) -> QuerySet[PositionStatement]:
    """``date_key``: the date, unknown dates earliest; ``subject``: the request, 0 for the case as a whole."""
    return statements.annotate(
        date_key=Coalesce("stated_on", Value(datetime.date.min), output_field=DateField()),
        subject=Coalesce("request_id", Value(0)),
    )


@dataclass
class MatrixCell:
    involvement: Involvement
    statement: PositionStatement | None


@dataclass
class MatrixRow:
    """One row of a case's position matrix: a subject (a request, or the case as a whole) by governments."""

    request: StatedRequest | None
    cells: list[MatrixCell] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(cell.statement for cell in self.cells)


@dataclass
class PositionMatrix:
    involvements: list[Involvement]
    rows: list[MatrixRow]
    silent: list[StatedRequest] = field(default_factory=list)  # requests no government has spoken on


def position_matrix(*, case: Case, requests: list[StatedRequest]) -> PositionMatrix:
    """Governments involved in ``case`` by ``requests`` (those the user may see) and
    the case as a whole: each cell the latest statement. Two queries whatever the size."""
    involvements = list(case.involvements.select_related("government").order_by("role", "government__name"))
    statements = latest_statements(statements=PositionStatement.objects.filter(involvement__case=case)).select_related(
        "source", "condition_request"
    )
    by_cell = {(s.involvement_id, s.request_id): s for s in statements}
    subjects: list[StatedRequest | None] = [None, *requests]
    rows = [
        MatrixRow(
            request=request,
            cells=[MatrixCell(inv, by_cell.get((inv.pk, request.pk if request else None))) for inv in involvements],
        )
        for request in subjects
    ]
    # Rows where no government has said anything are listed by name instead of as rows of dashes.
    silent = [row.request for row in rows if row.is_empty and row.request is not None]
    return PositionMatrix(involvements=involvements, rows=[row for row in rows if not row.is_empty], silent=silent)


# --------------------------------------------------------------- home counts


def counts_by(*, queryset: QuerySet, field_name: str, choices) -> list[tuple[str, str, int]]:
    """(value, label, count) for every choice with at least one row, in the choices' order."""
    counts = dict(queryset.order_by().values_list(field_name).annotate(n=Count("pk")))
    return [(value, label, counts[value]) for value, label in choices if counts.get(value)]


def detainees(*, user) -> QuerySet[Person]:
    """People detained in a case the user may see."""
    as_detainee = CaseSubject.objects.visible_to(user).filter(person=OuterRef("pk"), role=SubjectRole.DETAINEE)
    return Person.objects.visible_to(user).filter(Exists(as_detainee))


def my_case_ids(*, user) -> QuerySet[Case]:
    """Cases the user leads or is on the team of."""
    member = CaseMember.objects.filter(case=OuterRef("pk"), user=user)
    return Case.objects.visible_to(user).filter(Q(lead=user) | Exists(member)).values("pk")


def follow_ups_due(*, user, within_days: int = 7, today: datetime.date | None = None) -> QuerySet[FollowUp]:
    """Open follow-ups assigned to the user, due within ``within_days`` or overdue, soonest first."""
    today = today or timezone.localdate()
    return (
        FollowUp.objects.visible_to(user)
        .filter(assignee=user, done_at__isnull=True, due_on__lte=today + datetime.timedelta(days=within_days))
        .select_related("case")
        .order_by("due_on", "id")
    )


def reviews_due(*, user, within_days: int = 7, today: datetime.date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    return (
        Case.objects.visible_to(user)
        .filter(status__in=OPEN_CASE_STATUSES, next_review_on__lte=today + datetime.timedelta(days=within_days))
        .order_by("next_review_on", "id")
    )


# ------------------------------------------------------------------ cases list

PRIORITY_RANK = CaseWhen(
    *(When(priority=value, then=Value(rank)) for rank, value in enumerate(Priority.values)),
    output_field=IntegerField(),
)


def case_list(*, user) -> QuerySet[Case]:
    """The cases list's rows: the cases ``user`` may see, with their lead, ``priority_rank`` (to sort
    by), ``open_request_count`` and their detainees (``case.detainees``, one query for the page)."""
    open_requests = (
        StatedRequest.objects.filter(not_in_bin(StatedRequest), case=OuterRef("pk"))
        .exclude(status__in=SETTLED_REQUEST_STATUSES)
        .order_by()
        .values("case")
    )
    detainees = CaseSubject.objects.filter(not_in_bin(CaseSubject), role=SubjectRole.DETAINEE).select_related("person")
    return (
        Case.objects.visible_to(user)
        .select_related("lead")
        .annotate(
            priority_rank=PRIORITY_RANK,
            open_request_count=Coalesce(
                Subquery(open_requests.annotate(n=Count("pk")).values("n")[:1]), 0, output_field=IntegerField()
            ),
        )
        .prefetch_related(Prefetch("subjects", queryset=detainees, to_attr="detainees"))
    )


def case_request(*, case: Case, user, pk: int) -> StatedRequest:
    """One of ``case``'s requests that ``user`` may see, with its person (404 otherwise)."""
    requests = StatedRequest.objects.visible_to(user).filter(case=case).select_related("person")
    return get_object_or_404(requests, pk=pk)


# ------------------------------------------------------------------ case page


def case_requests(*, case: Case, user, arguments: bool = False) -> list[StatedRequest]:
    """The case's requests the user may see (none from the bin), with their people,
    addressees, story of updates and last movement; with ``arguments`` (the case page), the
    legal arguments made for them too (``LegalArgument.visible_to``, with their basis and
    who argues them: one query more)."""
    updates = RequestUpdate.objects.select_related("source").order_by(
        F("occurred_on").asc(nulls_last=True), "created_at", "id"
    )
    prefetched = [Prefetch("updates", queryset=updates), "translations"]
    if arguments:
        made = LegalArgument.objects.visible_to(user).select_related("basis", "argued_by").order_by("id")
        prefetched.append(Prefetch("legal_arguments", queryset=made))
    return list(
        StatedRequest.objects.visible_to(user)
        .filter(case=case)
        .select_related("person", "addressed_to")
        .prefetch_related(*prefetched)
        .order_by("person__display_name", "person_id", "first_stated_on", "id")
    )


def case_subjects(*, case: Case, user, requests: list[StatedRequest]) -> list[CaseSubject]:
    """The people of a case for its page and its dossier, each with their names, the
    requests given (``subject.requests``) and where they are held now (``subject.held``);
    what the user may not read of them (core/exposure/) is blanked."""
    by_person = requests_by_person(requests=requests)
    subjects = list(
        CaseSubject.objects.visible_to(user)
        .filter(case=case)
        .select_related("person")
        .prefetch_related(
            Prefetch("person__names", queryset=PersonName.objects.order_by("kind", "name")),
            Prefetch(
                "person__detentions",
                queryset=Detention.objects.select_related("authority").order_by("-started_on", "-id"),
            ),
        )
        .order_by("role", "person__display_name")
    )
    redact([subject.person for subject in subjects], user)
    for subject in subjects:
        subject.requests = by_person.get(subject.person_id, [])
        current = [d for d in subject.person.detentions.all() if d.is_current]
        subject.held = current[0] if current else None
    return subjects


def requests_by_person(*, requests: list[StatedRequest]) -> dict[int, list[StatedRequest]]:
    grouped: dict[int, list[StatedRequest]] = defaultdict(list)
    for request in requests:
        grouped[request.person_id].append(request)
    return grouped


def days_since(*, value: datetime.date | None, today: datetime.date | None = None) -> int | None:
    if value is None:
        return None
    return ((today or timezone.localdate()) - value).days


# ------------------------------------------------------- the pages' records


def visible_case(*, user, reference: str) -> Case:
    """The case with this reference if ``user`` may see it, with its lead; 404 otherwise, so an
    outsider cannot tell a restricted case from one that does not exist."""
    return get_object_or_404(Case.objects.visible_to(user).select_related("lead"), reference=reference)


def case_follow_up(*, case: Case, user, pk: int) -> FollowUp:
    """One of ``case``'s follow-ups that ``user`` may see (404 otherwise)."""
    return get_object_or_404(FollowUp.objects.visible_to(user).filter(case=case), pk=pk)


def filtered_cases(*, user, params, request, ordering: tuple[str, ...] | None = None):
    """The cases list: ``case_list`` narrowed by the list's filters (``params``: ``CaseFilterSet``),
    sorted by ``ordering``, else by relevance for a search (``q``), else newest first. Returns the
    FilterSet (its form shows the filters) and the cases; invalid filters give no cases, never a
    list that silently ignores them."""
    filterset = CaseFilterSet(params or None, queryset=case_list(user=user), request=request)
    cases = filterset.queryset.none() if filterset.is_bound and not filterset.is_valid() else filterset.qs
    if ordering:
        cases = cases.order_by(*ordering)
    elif not params.get("q"):
        cases = cases.order_by("-opened_on", "-id")
    return filterset, cases


def exported_cases(*, user) -> QuerySet[Case]:
    """The rows of the cases CSV before its filters: the cases ``user`` may see, with their lead,
    by reference."""
    return Case.objects.visible_to(user).select_related("lead").order_by("reference")
