"""The exchange's FilterSets: import batches (the import page's list) by state, mode and who
uploaded them; prepared exports (the export page's list and ``GET /api/v1/exports/``) by state,
profile and who asked. An export's own filters are the cases list's (``casework.filtersets.CaseFilterSet``)."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from exchange.models import BatchState, ExportState, ImportBatch, ImportMode, PreparedExport


class ImportBatchFilterSet(filters.FilterSet):
    state = filters.ChoiceFilter(choices=BatchState.choices, label=_("state"))
    mode = filters.ChoiceFilter(choices=ImportMode.choices, label=_("mode"))
    created_by = filters.NumberFilter(field_name="created_by_id", label=_("created by"))

    class Meta:
        model = ImportBatch
        fields = []


class PreparedExportFilterSet(filters.FilterSet):
    state = filters.ChoiceFilter(choices=ExportState.choices, label=_("state"))
    profile = filters.CharFilter(label=_("profile"))
    requested_by = filters.NumberFilter(field_name="requested_by_id", label=_("requested by"))

    class Meta:
        model = PreparedExport
        fields = []
