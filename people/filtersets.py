"""FilterSets for people and what hangs off them (API lists; the dashboard may share them)."""

from __future__ import annotations

import django_filters as filters
from django.apps import apps
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django_countries import countries
from rest_framework.exceptions import ValidationError

from core.access import sees_sensitive
from core.api.filters import date_range, linked
from people.models import (
    Detention,
    IdentifierKind,
    LegalStatus,
    NameKind,
    Person,
    PersonIdentifier,
    PersonName,
    PersonStatus,
    RiskLevel,
    Sex,
)

# The cases a person is in are casework's, a layer above people (tests/project/test_layers.py): named, not imported.
Case, CaseSubject, Government = (apps.get_model("casework", name) for name in ("Case", "CaseSubject", "Government"))


class PersonFilterSet(filters.FilterSet):
    """People by any name or spelling, case, nationality, status, legal status, risk, identifier."""

    search = filters.CharFilter(
        method="filter_search",
        label="Any name or spelling, in any script or romanization (best match first)",
    )
    case = linked(Case, "case_subjects__case", "In case (id)", method="filter_case")
    role = filters.MultipleChoiceFilter(
        choices=CaseSubject._meta.get_field("role").choices, method="filter_case", label="Role in the case"
    )
    nationality = filters.MultipleChoiceFilter(choices=countries, label="Nationality (ISO 3166 code)")
    status = filters.MultipleChoiceFilter(choices=PersonStatus.choices)
    legal_status = filters.MultipleChoiceFilter(choices=LegalStatus.choices)
    sex = filters.ChoiceFilter(choices=Sex.choices)
    risk_level = filters.MultipleChoiceFilter(
        choices=RiskLevel.choices, method="filter_risk_level", label="Risk if returned (sensitive)"
    )
    identifier = filters.CharFilter(method="filter_identifier", label="Identifier value (exact)")
    born_after, born_before = date_range("birth_date", "Born")

    class Meta:
        model = Person
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search_names(value)

    def filter_case(self, queryset, name, value):
        # case and role apply to the same case membership, in a case the user may see.
        data = self.form.cleaned_data
        if name == "role" and data.get("case"):
            return queryset
        subjects = CaseSubject.objects.visible_to(self.request.user).filter(person=OuterRef("pk"))
        if data.get("case"):
            subjects = subjects.filter(case=data["case"])
        if data.get("role"):
            subjects = subjects.filter(role__in=data["role"])
        return queryset.filter(Exists(subjects))

    def filter_risk_level(self, queryset, name, value):
        # The risk assessment is a sensitive detail: not even searchable without the permission.
        if not sees_sensitive(self.request.user):
            raise ValidationError({name: [gettext("Filtering by risk needs the permission to see sensitive details.")]})
        return queryset.filter(risk_level__in=value)

    def filter_identifier(self, queryset, name, value):
        identifiers = PersonIdentifier.objects.visible_to(self.request.user)  # service numbers are sensitive
        return queryset.filter(Exists(identifiers.filter(person=OuterRef("pk"), value=value)))


class PersonNameFilterSet(filters.FilterSet):
    person = linked(Person, "person", "Person (id)")
    kind = filters.MultipleChoiceFilter(choices=NameKind.choices)
    language = filters.CharFilter(label="Language / script tag (exact)")

    class Meta:
        model = PersonName
        fields = []


class PersonIdentifierFilterSet(filters.FilterSet):
    person = linked(Person, "person", "Person (id)")
    kind = filters.MultipleChoiceFilter(choices=IdentifierKind.choices)
    value = filters.CharFilter(label="Value (exact)")

    class Meta:
        model = PersonIdentifier
        fields = []


class DetentionFilterSet(filters.FilterSet):
    person = linked(Person, "person", "Person (id)")
    authority = linked(Government, "authority", "Detaining authority (government id)")
    country = filters.MultipleChoiceFilter(choices=countries, label="Country (ISO 3166 code)")
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label="Still held (no end date)")
    started_after, started_before = date_range("started_on", "Started")

    class Meta:
        model = Detention
        fields = []
