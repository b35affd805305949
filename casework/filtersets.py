"""FilterSets for casework records, shared by the API lists and the dashboard lists.

An unknown choice or a malformed date makes the FilterSet invalid: the API
answers 400 naming the parameter, the dashboard shows the error by the field.
"""

from __future__ import annotations

import django_filters as filters
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q
from django_countries import countries

from casework.models import (
    Actor,
    ActorKind,
    Case,
    CaseNote,
    CaseStatus,
    CaseSubject,
    Confidentiality,
    FollowUp,
    FreelyExpressed,
    Government,
    GovernmentKind,
    GovernmentRole,
    Intervention,
    InterventionKind,
    InterventionStatus,
    Involvement,
    LegalArgument,
    LegalBasis,
    PositionStatement,
    Priority,
    RequestCategory,
    RequestChannel,
    RequestStatus,
    RequestUpdate,
    Stance,
    StatedRequest,
    SubjectRole,
)
from core.api.filters import UTCDateTimeFilter, date_range, linked
from core.models import Translatable
from core.querysets import not_in_bin
from people.models import Person


class EqualsAny(Func):
    """``value = ANY(array)``: an index condition when the array is known before the scan."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()
    conditional = True


def full_text(queryset, value: str):
    """PostgreSQL full-text search on the model's stored ``search_vector``, best first; a record
    whose free text has translations (core.models.Translatable) is found by them too."""
    if not value.strip():
        return queryset
    query = SearchQuery(value, search_type="websearch", config="english")
    matches = Q(search_vector=query)
    if issubclass(queryset.model, Translatable):
        # "id = ANY(ARRAY(SELECT … translations))": the translations' ids are read once (an
        # InitPlan), so both sides of the OR are index conditions (the words' GIN index, the
        # primary key) and the planner, its estimate right, reads the GIN index for a rare
        # word (an OR with an IN subquery walked every event: 300 ms for a word found nowhere
        # among 130,000) and walks the date order for a common one.
        translated = queryset.model.translated_as(value.strip()).children[0][1]
        matches |= Q(EqualsAny(F("pk"), ArraySubquery(translated)))
    return (
        queryset.filter(matches)
        .annotate(search_rank=SearchRank(F("search_vector"), query))
        .order_by("-search_rank", "-pk")
    )


def words_search(*fields: str):
    """A ``?search=`` filter over a record's own words (``fields``, any case) and every
    translation of them: a request found by "집에" and by "go home"."""

    def search(queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        matches = queryset.model.translated_as(value)
        for field in fields:
            matches |= Q(**{f"{field}__icontains": value})
        return queryset.filter(matches)

    label = f"Words ({', '.join(fields)}) or any of their translations contain"
    return filters.CharFilter(method=search, label=label)


class CaseFilterSet(filters.FilterSet):
    """Cases by status, priority, government and its role, request status and
    category, nationality of the people in them, dates, tag and full text."""

    q = filters.CharFilter(method="filter_search", label="Search")
    search = filters.CharFilter(method="filter_search", label="Full-text search: reference, title, summary")
    status = filters.MultipleChoiceFilter(choices=CaseStatus.choices, label="Status")
    priority = filters.MultipleChoiceFilter(choices=Priority.choices, label="Priority")
    confidentiality = filters.ChoiceFilter(choices=Confidentiality.choices, label="Confidentiality")
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
    stalled = filters.BooleanFilter(method="filter_stalled", label="Has a stalled request")
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

    def filter_government(self, queryset, name, value: str):
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
        # What is in the bin matches nothing, as it shows nowhere.
        requests = StatedRequest.objects.filter(not_in_bin(StatedRequest), case=OuterRef("pk"))
        if data.get("request_status"):
            requests = requests.filter(status__in=data["request_status"])
        if data.get("request_category"):
            requests = requests.filter(category__in=data["request_category"])
        return queryset.filter(Exists(requests))

    def filter_stalled(self, queryset, name, value: bool):
        stalled = StatedRequest.objects.filter(not_in_bin(StatedRequest), case=OuterRef("pk")).stalled()
        return queryset.filter(Exists(stalled) if value else ~Exists(stalled))

    def filter_nationality(self, queryset, name, value: str):
        people = Person.objects.filter(not_in_bin(Person), case_subjects__case=OuterRef("pk"), nationality=value)
        return queryset.filter(Exists(people))


class CaseSubjectFilterSet(filters.FilterSet):
    case = linked(Case, "case", "Case (id)")
    person = linked(Person, "person", "Person (id)")
    role = filters.MultipleChoiceFilter(choices=SubjectRole.choices)

    class Meta:
        model = CaseSubject
        fields = []


class GovernmentFilterSet(filters.FilterSet):
    search = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    kind = filters.MultipleChoiceFilter(choices=GovernmentKind.choices)
    country = filters.MultipleChoiceFilter(choices=countries, label="Country (ISO 3166 code)")

    class Meta:
        model = Government
        fields = []


class ActorFilterSet(filters.FilterSet):
    """Actors by kind, organisation, government, country, and name in any script or spelling.
    No filter by case: which cases an actor appears in is read from events, sources and
    positions (``?actor=`` there), each visible only with its case."""

    search = filters.CharFilter(method="filter_search", label="Name, in any script or spelling")
    kind = filters.MultipleChoiceFilter(choices=ActorKind.choices)
    organisation = linked(Actor, "organisation", "Of the organisation (actor id)")
    government = linked(Government, "government", "Speaks for (government id)")
    country = filters.MultipleChoiceFilter(choices=countries, label="Country (ISO 3166 code)")

    class Meta:
        model = Actor
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search_names(value) if value.strip() else queryset


class LegalBasisFilterSet(filters.FilterSet):
    search = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")

    class Meta:
        model = LegalBasis
        fields = []


class LegalArgumentFilterSet(filters.FilterSet):
    case = linked(Case, "case", "Case (id)")
    request = linked(StatedRequest, "request", "For request (id)")
    intervention = linked(Intervention, "intervention", "In intervention (id)")
    basis = linked(LegalBasis, "basis", "Legal basis (id)")
    argued_by = linked(Actor, "argued_by", "Argued by (actor id)")

    class Meta:
        model = LegalArgument
        fields = []


class StatedRequestFilterSet(filters.FilterSet):
    """Requests by status, category, destination, case, person, government addressed, date first stated."""

    case = linked(Case, "case", "Case (id)")
    person = linked(Person, "person", "Person (id)")
    status = filters.MultipleChoiceFilter(choices=RequestStatus.choices)
    category = filters.MultipleChoiceFilter(choices=RequestCategory.choices)
    channel = filters.MultipleChoiceFilter(choices=RequestChannel.choices)
    freely_expressed = filters.MultipleChoiceFilter(choices=FreelyExpressed.choices)
    destination = filters.MultipleChoiceFilter(
        field_name="destination_country", choices=countries, label="Destination country (ISO 3166 code)"
    )
    addressed_to = linked(Government, "addressed_to", "Addressed to (government id)")
    stated_after, stated_before = date_range("first_stated_on", "First stated")
    changed_before = UTCDateTimeFilter(
        field_name="status_changed_at", lookup_expr="lt", label="Status last changed before (ISO 8601)"
    )
    stalled = filters.BooleanFilter(
        method="filter_stalled", label="Stalled: open and not moved for VIGIL_STALLED_AFTER_DAYS, or marked stalled"
    )
    waiting_supplies = filters.BooleanFilter(method="filter_supplies", label="Minor requests (supplies) waiting")
    search = words_search("summary", "words")

    def filter_stalled(self, queryset, name, value: bool):
        return queryset.stalled() if value else queryset.not_stalled()

    def filter_supplies(self, queryset, name, value: bool):
        return queryset.waiting_supplies() if value else queryset.exclude(pk__in=queryset.waiting_supplies())

    class Meta:
        model = StatedRequest
        fields = []


class RequestUpdateFilterSet(filters.FilterSet):
    request = linked(StatedRequest, "request", "Request (id)")
    case = linked(Case, "request__case", "Case (id)")
    status = filters.MultipleChoiceFilter(choices=RequestStatus.choices)
    occurred_after, occurred_before = date_range("occurred_on", "Happened")

    class Meta:
        model = RequestUpdate
        fields = []


class InvolvementFilterSet(filters.FilterSet):
    case = linked(Case, "case", "Case (id)")
    government = linked(Government, "government", "Government (id)")
    country = filters.MultipleChoiceFilter(
        field_name="government__country", choices=countries, label="Government's country (ISO 3166 code)"
    )
    role = filters.MultipleChoiceFilter(choices=GovernmentRole.choices)

    class Meta:
        model = Involvement
        fields = []


class PositionStatementFilterSet(filters.FilterSet):
    case = linked(Case, "involvement__case", "Case (id)")
    involvement = linked(Involvement, "involvement", "Involvement (id)")
    government = linked(Government, "involvement__government", "Government (id)")
    request = linked(StatedRequest, "request", "About request (id)")
    spoken_by = linked(Actor, "spoken_by", "Spoken by (actor id)")
    stance = filters.MultipleChoiceFilter(choices=Stance.choices)
    stated_after, stated_before = date_range("stated_on", "Stated")
    search = words_search("condition", "statement_original")

    class Meta:
        model = PositionStatement
        fields = []


class InterventionFilterSet(filters.FilterSet):
    case = linked(Case, "case", "Case (id)")
    government = linked(Government, "government", "Addressed to (government id)")
    addressed_to_actor = linked(Actor, "addressed_to_actor", "Addressed to (actor id)")
    request = linked(StatedRequest, "request", "About request (id)")
    kind = filters.MultipleChoiceFilter(choices=InterventionKind.choices)
    status = filters.MultipleChoiceFilter(choices=InterventionStatus.choices)
    occurred_after, occurred_before = date_range("occurred_on", "Made")

    class Meta:
        model = Intervention
        fields = []


class CaseNoteFilterSet(filters.FilterSet):
    case = linked(Case, "case", "Case (id)")
    author = filters.NumberFilter(field_name="author_id", label="Author (user id)")
    created_after = UTCDateTimeFilter(field_name="created_at", lookup_expr="gte", label="Written at or after")
    created_before = UTCDateTimeFilter(field_name="created_at", lookup_expr="lte", label="Written at or before")
    search = words_search("body")

    class Meta:
        model = CaseNote
        fields = []


class FollowUpFilterSet(filters.FilterSet):
    case = linked(Case, "case", "Case (id)")
    assignee = filters.NumberFilter(field_name="assignee_id", label="Assignee (user id)")
    done = filters.BooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True, label="Done")
    due_after, due_before = date_range("due_on", "Due")

    class Meta:
        model = FollowUp
        fields = []
