"""The exchange's reads for its pages and API. Imports and exports are not case records: who may
read them is a permission (``exchange.imports.PERMISSION``, ``exchange.exports.EXPORT_PERMISSION``)
that every page and endpoint checks first, and each selector then starts from what ``user`` may
see of them (``visible_batches``, ``visible_exports``: the exchange's ``visible_to``). The rows
an import or export reads are the runners' (exchange/imports/, exchange/exports/), through
``visible_to(user)``."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from exchange import exports, imports
from exchange.filtersets import ImportBatchFilterSet, PreparedExportFilterSet
from exchange.models import ExportProfile, ExportState, ImportBatch, ImportMapping, PreparedExport

#: The import page lists this many batches.
BATCHES_SHOWN = 50


# ------------------------------------------------------------------- imports


def visible_batches(*, user) -> QuerySet[ImportBatch]:
    """Every batch for who may import (data managers), none for anyone else."""
    batches = ImportBatch.objects.select_related("created_by")
    return batches if user.has_perm(imports.PERMISSION) else batches.none()


def batch_list(*, user, params=None) -> tuple[ImportBatchFilterSet, list[ImportBatch]]:
    """The import page's earlier batches, latest first, narrowed by ``params`` (``ImportBatchFilterSet``;
    invalid filters give none), without their reports (a large file's report is megabytes)."""
    filterset = ImportBatchFilterSet(params or None, queryset=visible_batches(user=user).defer("report"))
    if filterset.is_bound and not filterset.is_valid():
        return filterset, []
    return filterset, list(filterset.qs[:BATCHES_SHOWN])


def import_batch(*, user, pk: int) -> ImportBatch:
    """One batch ``user`` may see, with who uploaded it (404 otherwise)."""
    return get_object_or_404(visible_batches(user=user), pk=pk)


def saved_mappings(*, user) -> QuerySet[ImportMapping]:
    """The column mappings saved for reuse, for who may import."""
    mappings = ImportMapping.objects.all()
    return mappings if user.has_perm(imports.PERMISSION) else mappings.none()


def saved_mapping(*, user, name: str) -> ImportMapping | None:
    return saved_mappings(user=user).filter(name=name).first()


# ------------------------------------------------------------------- exports


def visible_exports(*, user) -> QuerySet[PreparedExport]:
    """The exports ``user`` may follow: their own, and, for a data manager (full exports), those
    waiting for a second data manager's approval. Latest first (the model's ordering)."""
    own = Q(requested_by=user)
    if user.has_perm(exports.FULL_PERMISSION):
        own |= Q(state=ExportState.PENDING)
    return PreparedExport.objects.select_related("requested_by", "approved_by").filter(own)


def export_list(
    *, user, params=None, prefix: str | None = None, limit: int
) -> tuple[PreparedExportFilterSet, list[PreparedExport]]:
    """The ``limit`` latest exports ``user`` may follow, narrowed by ``params`` (``PreparedExportFilterSet``;
    invalid filters give none): the export page's list (20, its filters named ``exports-state``...: ``prefix``)
    and ``GET /api/v1/exports/`` (50)."""
    filterset = PreparedExportFilterSet(params or None, queryset=visible_exports(user=user), prefix=prefix)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, []
    return filterset, list(filterset.qs[:limit])


def visible_export(*, user, pk: int, own: bool = False) -> PreparedExport:
    """One export ``user`` may follow (with ``own``, only one they asked for); 404 otherwise."""
    found = visible_exports(user=user)
    return get_object_or_404(found.filter(requested_by=user) if own else found, pk=pk)


def export_by_id(*, user, pk: int) -> PreparedExport:
    """Any export by its id, for the export page's approve and download buttons, whose services
    refuse who may not (``export_approve``: data managers, not the asker; ``prepared_download``:
    only the asker, a 403). Found only for who may export at all (404 otherwise)."""
    found = PreparedExport.objects.select_related("requested_by")
    return get_object_or_404(found if user.has_perm(exports.EXPORT_PERMISSION) else found.none(), pk=pk)


def saved_profiles(*, user) -> QuerySet[ExportProfile]:
    """The partner profiles data managers saved: every exporter chooses among them, data managers
    change them."""
    profiles = ExportProfile.objects.all()
    may = user.has_perm(exports.EXPORT_PERMISSION) or user.has_perm(exports.FULL_PERMISSION)
    return profiles if may else profiles.none()


def saved_profile(*, user, pk: int) -> ExportProfile:
    return get_object_or_404(saved_profiles(user=user), pk=pk)


def saved_profile_names(*, user) -> list[str]:
    return list(saved_profiles(user=user).values_list("name", flat=True))
