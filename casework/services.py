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
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from casework.access import can_manage_team, holds_case_lead_role
from casework.models import (
    Case,
    CaseView,
    Confidentiality,
    ExportLog,
    Involvement,
    LegalArgument,
    PositionStatement,
    RequestStatus,
    RequestUpdate,
    StatedRequest,
)
from core.client_ip import client_ip
from core.dates import DatePrecision, normalise

#: "No change asked" for ``case_control_check`` (None is a change: no lead).
UNCHANGED = object()
CONTROL_REFUSED = (
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
    occurred_on: datetime.date | None,
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
    locked = StatedRequest.objects.select_for_update().get(pk=request.pk)
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
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    # Then the update: its trigger sets the request's last_moved_on (and version) from it.
    update.save()
    locked.refresh_from_db(fields=["last_moved_on", "version"])
    request.status, request.status_changed_at = locked.status, locked.status_changed_at
    request.last_moved_on, request.version = locked.last_moved_on, locked.version
    return update


@transaction.atomic
def position_record(
    *,
    involvement: Involvement,
    stance: str,
    stated_on: datetime.date | None,
    stated_on_precision: str = DatePrecision.DAY,
    request: StatedRequest | None = None,
    condition: str = "",
    condition_request: StatedRequest | None = None,
    statement_original: str = "",
    statement_language: str = "",
    statement_translation: str = "",
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
        statement_translation=statement_translation,
        spoken_by=spoken_by,
        source=source,
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    # Model.clean() checks the linked requests belong to the same case.
    statement.full_clean(exclude=["involvement", "request", "condition_request", "spoken_by", "source", "recorded_by"])
    statement.save()
    return statement


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


def shown_cases(shown, *, user) -> list[tuple[int, str]]:
    """(id, reference) of the restricted cases ``user`` may see whose content the
    records in ``shown`` (core.shown.Shown) belong to: the cases themselves, what
    hangs off them, the people in them (and their names, identifiers, detentions),
    citations and sources of their facts. One query."""
    from django.db.models import Exists, OuterRef

    from casework.access import case_visibility
    from casework.models import CaseSubject
    from events.querysets import CITATION_CASE_PATHS

    condition = Q(pk__in=shown.cases | shown.case_ids)
    for model, pks in shown.records.items():
        rows = model._base_manager.filter(pk__in=pks)
        label = model._meta.label
        if getattr(model, "case_path", None):
            condition |= Q(pk__in=rows.values(model.case_path))
        elif label == "people.Person" or any(f.name == "person" for f in model._meta.concrete_fields):
            people = pks if label == "people.Person" else rows.values("person")
            condition |= Exists(CaseSubject.objects.filter(case=OuterRef("pk"), person__in=people))
        elif label == "events.Citation":
            for path in CITATION_CASE_PATHS.values():
                condition |= Q(pk__in=rows.values(path))
        elif label == "events.Source":
            for path in CITATION_CASE_PATHS.values():
                condition |= Q(pk__in=rows.values(f"citations__{path}"))
    restricted = Case.objects.filter(condition, confidentiality=Confidentiality.RESTRICTED)
    return list(restricted.filter(case_visibility(user)).order_by("pk").values_list("pk", "reference"))


def case_views_record(*, request, shown, channel: str, what: str) -> list[CaseView]:
    """Log, once each, the restricted cases a response showed (normal cases are not
    logged): who, when, through what, from where; never the content. Called for every
    successful response by ``core.middleware.ViewLogMiddleware``."""
    user = request.user if request.user.is_authenticated else None
    if user is None:
        return []
    address = client_ip(request)
    logged = getattr(request, "vigil_cases_logged", set())  # by case_view_record, with a more exact "what"
    return CaseView.objects.bulk_create(
        CaseView(
            case_id=pk,
            case_reference=reference,
            user=user,
            username=user.get_username(),
            channel=channel,
            what=what,
            ip_address=address,
        )
        for pk, reference in shown_cases(shown, user=user)
        if pk not in logged
    )


def case_view_record(*, case: Case, request, channel: str, what: str, always: bool = False) -> CaseView | None:
    """Log one view of ``case`` with an exact ``what`` (a file downloaded, a full
    dossier printed): a restricted case's, or any case's with ``always`` (a full
    dossier, with its sensitive details). The view log's middleware then leaves
    this case out of the same response's rows, so each case is still logged once."""
    if case.confidentiality != Confidentiality.RESTRICTED and not always:
        return None
    user = request.user
    request.vigil_cases_logged = {*getattr(request, "vigil_cases_logged", set()), case.pk}
    return CaseView.objects.create(
        case=case,
        case_reference=case.reference,
        user=user,
        username=user.get_username(),
        channel=channel,
        what=what,
        ip_address=client_ip(request),
    )


def export_record(
    *,
    request=None,
    what: str,
    rows: int,
    channel: str,
    user=None,
    query: str | None = None,
    profile: str = "",
    sha256: str = "",
) -> ExportLog:
    """Log an export: who, when, through what, from where, which profile and filters,
    how many rows and the file's SHA-256; never the rows. A command's export has no
    ``request``: its ``user`` (or none) and ``query`` (what it was asked) say it instead."""
    if request is not None:
        user = request.user if request.user.is_authenticated else None
        if query is None:
            query = request.META.get("QUERY_STRING", "")
    return ExportLog.objects.create(
        user=user,
        username=user.get_username() if user else "",
        channel=channel,
        what=what,
        query=(query or "")[:2000],
        rows=rows,
        ip_address=client_ip(request) if request is not None else None,
        profile=profile,
        sha256=sha256,
    )


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
