"""Casework's business rules: each change of state in one function, one transaction.

Admin, API and dashboard call these and never re-implement them, so the three
can never disagree. History rows are written by database triggers inside the
same transaction (core/history.py).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from casework.access import can_manage_team
from casework.models import (
    Case,
    CaseNote,
    Confidentiality,
    FollowUp,
    Intervention,
    Involvement,
    LegalArgument,
    PositionStatement,
    RequestStatus,
    RequestUpdate,
    StatedRequest,
)
from casework.models.requests import MOVE_STATUS_SQL
from core.access import holds_case_lead_role
from core.dates import DatePrecision, normalise

#: "No change asked" for ``case_control_check`` (None is a change: no lead).
UNCHANGED = object()
CONTROL_REFUSED = gettext_lazy(
    "Only the case's lead (with the case lead role) or a data manager changes its lead, team "
    "or confidentiality, or moves it to the bin."
)
LEAD_NEEDS_ROLE = gettext_lazy("The lead of a case must hold the case lead role.")


def case_control_check(*, user, case: Case | None, lead=UNCHANGED, team=UNCHANGED, confidentiality=UNCHANGED) -> None:
    """The one rule for who changes a case's lead, team and confidentiality (admin,
    API, and the bin: ``Case.may_bin``): ``casework.access.can_manage_team``. A new
    lead must hold the case lead role. ``case`` is None (or unsaved) for a new case,
    where only a lead, a team or a restricted confidentiality is a change to check.

    Raises ``PermissionDenied`` (who may not) or ``ValidationError`` on ``lead``."""
    is_new = case is None or case.pk is None
    lead_changes = lead is not UNCHANGED and (lead is not None if is_new else getattr(lead, "pk", None) != case.lead_id)
    team_changes = team is not UNCHANGED and (
        {member.pk for member in team} != (set() if is_new else {member.pk for member in case.team.all()})
    )
    confidentiality_now = Confidentiality.NORMAL if is_new else case.confidentiality
    confidentiality_changes = confidentiality is not UNCHANGED and confidentiality != confidentiality_now
    # Naming a lead for a new case is not control of it (the lead then controls it);
    # changing the lead of an existing one is.
    if (team_changes or confidentiality_changes or (lead_changes and not is_new)) and not can_manage_team(user, case):
        raise PermissionDenied(CONTROL_REFUSED)
    if lead_changes and lead is not None and not holds_case_lead_role(lead):
        raise ValidationError({"lead": LEAD_NEEDS_ROLE})


@transaction.atomic
def request_update_status(
    *,
    request: StatedRequest,
    status: str,
    occurred_on: datetime.date | None = None,
    occurred_on_precision: str = DatePrecision.DAY,
    note: str = "",
    source=None,
    user=None,
) -> RequestUpdate:
    """Record a step in a request's story and move its status with it.

    The same status as now records a reaffirmation ("now both ask for it").
    The request row is locked so two people recording at once are applied one
    after the other, each update naming the status it changed from.
    """
    if status not in RequestStatus.values:
        raise ValidationError({"status": gettext("“%(status)s” is not a request status.") % {"status": status}})
    # The row locked (its person read with it, for whoever shows the update next).
    locked = StatedRequest.objects.select_for_update(of=("self",)).select_related("person").get(pk=request.pk)
    update = RequestUpdate(
        request=locked,
        previous_status=locked.status,
        status=status,
        occurred_on=normalise(occurred_on, occurred_on_precision),
        occurred_on_precision=occurred_on_precision,
        note=note,
        source=source,
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    update.full_clean(exclude=["request", "source", "recorded_by"])
    # The request's status first, then the update: when the update is dated the day the
    # status changed (the usual case) its trigger finds last_moved_on right already and the
    # request is written once, so history shows one change. A backdated update moves
    # last_moved_on (and the version) a second time. The row is locked: no one else's write
    # can come between. The UPDATE hands back what its trigger wrote and what the update's
    # trigger will make of last_moved_on once the update is in (MOVED_WITH_UPDATE_SQL: the
    # same rule, over the request's updates and this one), so nothing is read back afterwards.
    changed_at = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            MOVE_STATUS_SQL,
            [status, changed_at, changed_at, locked.pk, update.occurred_on, changed_at],
        )
        last_moved_on, version, moved_after = cursor.fetchone()
        update.save()
        if (
            update.occurred_on is None
            and update.created_at.astimezone(datetime.UTC).date() != changed_at.astimezone(datetime.UTC).date()
        ):
            # Saved past midnight (UTC) after the status changed: the update's own day is the one that counts.
            cursor.execute("SELECT last_moved_on, version FROM casework_statedrequest WHERE id = %s", [locked.pk])
            last_moved_on, version = cursor.fetchone()
        elif moved_after != last_moved_on:  # the update's trigger moved it: one more write of the request
            last_moved_on, version = moved_after, version + 1
    for record in (locked, request):
        record.status, record.status_changed_at, record.updated_at = status, changed_at, changed_at
        record.last_moved_on, record.version = last_moved_on, version
    return update


@transaction.atomic
def position_record(
    *,
    involvement: Involvement,
    stance: str,
    stated_on: datetime.date | None = None,
    stated_on_precision: str = DatePrecision.DAY,
    request: StatedRequest | None = None,
    condition: str = "",
    condition_request: StatedRequest | None = None,
    statement_original: str = "",
    statement_language: str = "",
    spoken_by=None,
    source=None,
    user=None,
    statement_key: uuid.UUID | None = None,
) -> PositionStatement:
    """Add a government's dated statement of position. Statements are only added;
    the latest one is the government's current position."""
    statement = PositionStatement(
        statement_key=statement_key,
        involvement=involvement,
        request=request,
        stance=stance,
        stated_on=normalise(stated_on, stated_on_precision),
        stated_on_precision=stated_on_precision,
        condition=condition,
        condition_request=condition_request,
        statement_original=statement_original,
        statement_language=statement_language,
        spoken_by=spoken_by,
        source=source,
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    # Model.clean() checks the linked requests belong to the same case.
    statement.full_clean(exclude=["involvement", "request", "condition_request", "spoken_by", "source", "recorded_by"])
    statement.save()
    return statement


@transaction.atomic
def note_record(*, case: Case, body: str, user, language: str = "") -> CaseNote:
    """A note in ``case``'s journal, written by ``user``."""
    note = CaseNote(case=case, author=user, body=body, language=language)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def follow_up_record(
    *,
    case: Case,
    title: str,
    due_on: datetime.date,
    user,
    assignee=None,
    notes: str = "",
    done_at: datetime.datetime | None = None,
) -> FollowUp:
    """A dated task on ``case`` for ``assignee``, recorded by ``user`` (``done_at``: already done then)."""
    follow_up = FollowUp(case=case, title=title, due_on=due_on, assignee=assignee, notes=notes, done_at=done_at)
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_complete(*, follow_up: FollowUp, user) -> bool:
    """Mark ``follow_up`` done now (by ``user``); False when it already was."""
    if follow_up.done_at is not None:
        return False
    follow_up.done_at = timezone.now()
    follow_up.save(update_fields=["done_at", "updated_at"])
    return True


@transaction.atomic
def statement_record(
    *,
    user,
    involvement: Involvement,
    requests: Sequence[StatedRequest],
    stance: str,
    stated_on: datetime.date | None,
    stated_on_precision: str,
    **said,
) -> list[PositionStatement]:
    """One statement of a government on several requests at once ("ready to discuss the
    transfer of both"): one position per request, sharing ``statement_key``, so the
    words are typed once and the matrix still has the latest word per request. No
    request: a position on the case as a whole. ``said``: ``position_record``'s other
    keywords (condition, words, language, spoken_by, source)."""
    key = uuid.uuid4() if len(requests) > 1 else None
    return [
        position_record(
            involvement=involvement,
            request=request,
            stance=stance,
            stated_on=stated_on,
            stated_on_precision=stated_on_precision,
            user=user,
            statement_key=key,
            **said,
        )
        for request in (requests or [None])
    ]


@transaction.atomic
def legal_argument_record(
    *,
    user,
    case: Case,
    basis,
    argument: str = "",
    request: StatedRequest | None = None,
    intervention=None,
    argued_by=None,
    source=None,
) -> LegalArgument:
    """Record an argument resting on a legal basis, for a request and/or in an
    intervention of ``case`` ("asylum aligns with South Korea's humanitarian
    obligations": the basis, the words, who argues it, the source)."""
    made = LegalArgument(
        case=case,
        basis=basis,
        argument=argument,
        request=request,
        intervention=intervention,
        argued_by=argued_by,
        source=source,
    )
    made.full_clean(exclude=["case", "basis", "request", "intervention", "argued_by", "source"])
    made.save()
    return made


@transaction.atomic
def intervention_record(
    *,
    user,
    case: Case,
    kind: str,
    status: str,
    occurred_on: datetime.date | None = None,
    occurred_on_precision: str,
    government=None,
    addressed_to_actor=None,
    request: StatedRequest | None = None,
    asked: str = "",
    arguments: Sequence[dict] = (),
) -> Intervention:
    """Record what the advocates did (a letter, a meeting, a petition) and the legal
    arguments made in it (each ``legal_argument_record``'s keywords: basis, argument,
    argued_by, source; for the intervention's request too, when it has one), in one
    transaction: an invalid argument leaves no intervention behind. Its date is needed
    with its precision, and lies ahead only for a planned intervention (``Intervention.clean``)."""
    intervention = Intervention(
        case=case,
        kind=kind,
        status=status,
        occurred_on=normalise(occurred_on, occurred_on_precision),
        occurred_on_precision=occurred_on_precision,
        government=government,
        addressed_to_actor=addressed_to_actor,
        request=request,
        asked=asked,
    )
    intervention.full_clean(exclude=["case", "government", "addressed_to_actor", "request", "response", "made_by"])
    intervention.save()
    for argument in arguments:
        legal_argument_record(user=user, case=case, intervention=intervention, request=request, **argument)
    return intervention
