"""The FilterSet of evidence files (API list; the dashboard may share it)."""

from __future__ import annotations

import django_filters as filters

from casework.models import Case
from core.api.filters import linked
from events.models import Event, Source
from evidence.choices import Derivation
from evidence.models import EvidenceFile


class FileFilterSet(filters.FilterSet):
    """Files by case, source, event supported, SHA-256 (the same bytes) and kind of derived copy."""

    case = linked(Case, "case", "Case (id)")
    source = linked(Source, "source", "Source (id)")
    event = linked(Event, "links__event", "Supports event (id)", distinct=True)
    sha256 = filters.CharFilter(field_name="blob__sha256", label="SHA-256 of the bytes (64 hexadecimal digits)")
    derivation = filters.ChoiceFilter(choices=Derivation.choices)
    originals = filters.BooleanFilter(field_name="original", lookup_expr="isnull", label="Only originals")

    class Meta:
        model = EvidenceFile
        fields = []
