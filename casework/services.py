"""Casework's business rules: each change of state in one function, one transaction.

Admin, API and dashboard call these and never re-implement them, so the three
can never disagree. History rows are written by database triggers inside the
same transaction (core/history.py).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.models import (
    Case,
    CaseView,
    Confidentiality,
    ExportLog,
    Involvement,
    PositionStatement,
    RequestStatus,
    RequestUpdate,
    StatedRequest,
)
from core.dates import DatePrecision, normalise


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
        raise ValidationError({"status": f"“{status}” is not a request status."})
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
    update.save()
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    request.status, request.status_changed_at = locked.status, locked.status_changed_at
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
    source=None,
    user=None,
) -> PositionStatement:
    """Add a government's dated statement of position. Statements are only added;
    the latest one is the government's current position."""
    statement = PositionStatement(
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
        source=source,
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    # Model.clean() checks the linked requests belong to the same case.
    statement.full_clean(exclude=["involvement", "request", "condition_request", "source", "recorded_by"])
    statement.save()
    return statement


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the first X-Forwarded-For hop when
    Vigil runs behind the TLS proxy (BEHIND_TLS_PROXY)."""
    from django.conf import settings

    if settings.SECURE_PROXY_SSL_HEADER and request.META.get("HTTP_X_FORWARDED_FOR"):
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def case_view_record(*, case: Case, request, channel: str, what: str = "page") -> CaseView | None:
    """Log a view of a restricted case (normal cases are not logged)."""
    if case.confidentiality != Confidentiality.RESTRICTED:
        return None
    user = request.user if request.user.is_authenticated else None
    return CaseView.objects.create(
        case=case,
        case_reference=case.reference,
        user=user,
        username=user.get_username() if user else "",
        channel=channel,
        what=what,
        ip_address=client_ip(request),
    )


def export_record(
    *, request, what: str, rows: int, channel: str, profile: str = "", sha256: str = "", query: str | None = None
) -> ExportLog:
    """Log an export: who, when, through what, from where, which profile and filters,
    how many rows and the file's SHA-256; never the rows."""
    user = request.user if request.user.is_authenticated else None
    return ExportLog.objects.create(
        user=user,
        username=user.get_username() if user else "",
        channel=channel,
        what=what,
        query=(request.META.get("QUERY_STRING", "") if query is None else query)[:2000],
        rows=rows,
        ip_address=client_ip(request),
        profile=profile,
        sha256=sha256,
    )
