"""FilterSets for events, sources and citations (API lists; the dashboard may share them)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, OuterRef
from django_countries import countries

from casework.filtersets import full_text
from casework.models import Actor, Case, Government, PositionStatement, RequestUpdate, StatedRequest
from core.api.filters import date_range, linked
from events.models import (
    Citation,
    Confidence,
    Event,
    EventKind,
    Reliability,
    Sensitivity,
    Source,
    SourceConnection,
    SourceKind,
)
from people.models import Person


class EventFilterSet(filters.FilterSet):
    """Events by case, kind, date, person, government, country, sensitivity and full text."""

    search = filters.CharFilter(method="filter_search", label="Full-text search: title, description, place")
    case = linked(Case, "case", "Case (id)")
    kind = filters.MultipleChoiceFilter(choices=EventKind.choices)
    sensitivity = filters.ChoiceFilter(choices=Sensitivity.choices)
    occurred_after, occurred_before = date_range("occurred_on", "Happened")
    person = linked(Person, "event_people__person", "Concerns person (id)", distinct=True)
    government = linked(Government, "event_governments__government", "Involves government (id)", distinct=True)
    actor = linked(Actor, "event_actors__actor", "Actor present (id)", distinct=True)
    country = filters.MultipleChoiceFilter(choices=countries, label="Country (ISO 3166 code)")

    class Meta:
        model = Event
        fields = []

    def filter_search(self, queryset, name, value):
        return full_text(queryset, value)


class SourceFilterSet(filters.FilterSet):
    """Sources by kind, reliability, connection, language, date, the case they are cited in, and full text."""

    search = filters.CharFilter(method="filter_search", label="Full-text search: title, publisher, notes")
    kind = filters.MultipleChoiceFilter(choices=SourceKind.choices)
    reliability = filters.MultipleChoiceFilter(choices=Reliability.choices)
    connection = filters.MultipleChoiceFilter(choices=SourceConnection.choices)
    language = filters.CharFilter(label="Language tag (exact)")
    published_after, published_before = date_range("published_on", "Published")
    case = linked(Case, "case", "Cited in case (id)", method="filter_case")
    author = linked(Actor, "author", "Author or speaker (actor id)")

    class Meta:
        model = Source
        fields = []

    def filter_search(self, queryset, name, value):
        return full_text(queryset, value)

    def filter_case(self, queryset, name, case):
        cited = Citation.objects.filter(source=OuterRef("pk"))
        in_case = (
            cited.filter(event__case=case)
            | cited.filter(request__case=case)
            | cited.filter(request_update__request__case=case)
            | cited.filter(position__involvement__case=case)
        )
        return queryset.filter(Exists(in_case))


class CitationFilterSet(filters.FilterSet):
    source = linked(Source, "source", "Source (id)")
    event = linked(Event, "event", "Event (id)")
    request = linked(StatedRequest, "request", "Request (id)")
    request_update = linked(RequestUpdate, "request_update", "Request update (id)")
    position = linked(PositionStatement, "position", "Position statement (id)")
    confidence = filters.MultipleChoiceFilter(choices=Confidence.choices)

    class Meta:
        model = Citation
        fields = []
