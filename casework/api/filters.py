"""FilterSets for casework records, shared by the API lists and the dashboard lists.

An unknown choice or a malformed date makes the FilterSet invalid: the API
answers 400 naming the parameter, the dashboard shows the error by the field.
"""

from __future__ import annotations

import django_filters as filters
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef
from django_countries import countries

from casework.models import (
    Case,
    CaseStatus,
    Confidentiality,
    GovernmentRole,
    Involvement,
    Priority,
    RequestCategory,
    RequestStatus,
    StatedRequest,
)
from people.models import Person


def full_text(queryset, value: str):
    """PostgreSQL full-text search on the model's stored ``search_vector``, best first."""
    if not value.strip():
        return queryset
    query = SearchQuery(value, search_type="websearch", config="english")
    return (
        queryset.filter(search_vector=query)
        .annotate(search_rank=SearchRank(F("search_vector"), query))
        .order_by("-search_rank", "-pk")
    )


class CaseFilterSet(filters.FilterSet):
    """Cases by status, priority, government and its role, request status and
    category, nationality of the people in them, dates, tag and full text."""

    q = filters.CharFilter(method="filter_search", label="Search")
    status = filters.MultipleChoiceFilter(choices=CaseStatus.choices)
    priority = filters.MultipleChoiceFilter(choices=Priority.choices)
    confidentiality = filters.ChoiceFilter(choices=Confidentiality.choices)
    government = filters.ChoiceFilter(choices=countries, method="filter_government", label="Government (country)")
    government_role = filters.ChoiceFilter(
        choices=GovernmentRole.choices, method="filter_government", label="Government's role"
    )
    request_status = filters.MultipleChoiceFilter(
        choices=RequestStatus.choices, method="filter_requests", label="Request status"
    )
    request_category = filters.MultipleChoiceFilter(
        choices=RequestCategory.choices, method="filter_requests", label="Request category"
    )
    nationality = filters.ChoiceFilter(choices=countries, method="filter_nationality", label="Nationality")
    opened_after = filters.DateFilter(field_name="opened_on", lookup_expr="gte", label="Opened on or after")
    opened_before = filters.DateFilter(field_name="opened_on", lookup_expr="lte", label="Opened on or before")
    review_before = filters.DateFilter(field_name="next_review_on", lookup_expr="lte", label="Review due by")
    tag = filters.CharFilter(method="filter_tag", label="Tag")
    lead = filters.NumberFilter(field_name="lead_id", label="Lead (user id)")

    class Meta:
        model = Case
        fields = ["reference"]

    def filter_search(self, queryset, name, value):
        return full_text(queryset, value)

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__contains=[value])

    def filter_government(self, queryset, name, value):
        # government and government_role apply to the same involvement: one EXISTS for both.
        data = self.form.cleaned_data
        involvements = Involvement.objects.filter(case=OuterRef("pk"))
        if data.get("government"):
            involvements = involvements.filter(government__country=data["government"])
        if data.get("government_role"):
            involvements = involvements.filter(role=data["government_role"])
        if name == "government_role" and data.get("government"):
            return queryset  # already applied together with "government"
        return queryset.filter(Exists(involvements))

    def filter_requests(self, queryset, name, value):
        # request_status and request_category apply to the same request.
        data = self.form.cleaned_data
        if name == "request_category" and data.get("request_status"):
            return queryset
        requests = StatedRequest.objects.filter(case=OuterRef("pk"))
        if data.get("request_status"):
            requests = requests.filter(status__in=data["request_status"])
        if data.get("request_category"):
            requests = requests.filter(category__in=data["request_category"])
        return queryset.filter(Exists(requests))

    def filter_nationality(self, queryset, name, value):
        people = Person.objects.filter(case_subjects__case=OuterRef("pk"), nationality=value)
        return queryset.filter(Exists(people))
