"""The view log and the export log: which cases a user was shown, and what they exported.

Written beside every read that shows a restricted case (core.middleware's ``VIEW_LOG``,
the file downloads, the full dossier) and every export; re-exported by casework.services.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from casework.models import (
    Case,
    CaseView,
    Confidentiality,
    ExportLog,
)
from core.client_ip import client_ip
from core.internals import compiled


def shown_cases(shown, *, user) -> QuerySet[Case]:
    """(id, reference) of the restricted cases ``user`` may see whose content the
    records in ``shown`` (core.shown.Shown) belong to: the cases themselves, what
    hangs off them, the people in them (and their names, identifiers, detentions),
    citations and sources of their facts (a source shown with a citation of it: that
    citation's case)."""
    from django.db.models import Exists, OuterRef

    from casework.access import case_visibility
    from casework.models import CaseSubject

    condition = Q(pk__in=shown.cases | shown.case_ids)
    citations = next((pks for model, pks in shown.records.items() if model._meta.label == "events.Citation"), set())
    for model, pks in shown.records.items():
        rows = model._base_manager.filter(pk__in=pks)
        label = model._meta.label
        if label == "events.Source" and citations:
            # A source shown as the source of a citation shown beside it is that citation's
            # fact's content (logged through the citation), not that of every case citing it.
            cited = model._meta.get_field("citations").related_model._base_manager.filter(pk__in=citations)
            rows = rows.exclude(pk__in=cited.values("source"))
        if getattr(model, "case_path", None):
            condition |= Q(pk__in=rows.values(model.case_path))
        elif label == "people.Person" or any(f.name == "person" for f in model._meta.concrete_fields):
            people = pks if label == "people.Person" else rows.values("person")
            condition |= Exists(CaseSubject.objects.filter(case=OuterRef("pk"), person__in=people))
        else:  # a record that reaches its cases by several paths (a citation, a source) names them
            for path in getattr(model, "case_paths", ()):
                condition |= Q(pk__in=rows.values(path))
    restricted = Case.objects.filter(condition, confidentiality=Confidentiality.RESTRICTED)
    return restricted.filter(case_visibility(user)).order_by("pk").values_list("pk", "reference")


def case_views_record(*, request, shown, channel: str, what: str) -> int:
    """Log, once each, the restricted cases a response showed (normal cases are not
    logged): who, when, through what, from where; never the content. Called for every
    successful response by ``core.middleware.ViewLogMiddleware``. One statement, an
    ``INSERT … SELECT`` of the cases found (none when the response showed no restricted
    case); the number of cases logged."""
    user = request.user if request.user.is_authenticated else None
    if user is None:
        return 0
    logged = getattr(request, "vigil_cases_logged", set())  # by case_view_record, with a more exact "what"
    cases_sql, cases_params = compiled(shown_cases(shown, user=user).exclude(pk__in=logged))
    insert = (
        "INSERT INTO casework_caseview (case_id, case_reference, user_id, username, at, channel, what, ip_address) "  # noqa: S608
        "SELECT shown.id, shown.reference, %s::bigint, %s::text, %s::timestamptz, %s::text, %s::text, %s::inet "
        f"FROM ({cases_sql}) AS shown (id, reference)"  # compiled by the ORM, its parameters apart
    )
    with connection.cursor() as cursor:
        cursor.execute(
            insert,
            [user.pk, user.get_username(), timezone.now(), channel, what, client_ip(request), *cases_params],
        )
        return cursor.rowcount


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
