"""People's API: people, and their names, identifiers and detentions."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Prefetch
from django.db.models.functions import JSONObject

from casework.models import CaseSubject
from core.api.pagination import KeysetPagination
from core.api.views import VigilViewSet
from people.api import filters, serializers
from people.models import Detention, Person, PersonIdentifier, PersonName


class PersonViewSet(VigilViewSet):
    """People in detention (and their relatives, witnesses...), each with every
    name, identifier, detention and visible case nested. ``?search=`` finds any
    spelling in any script, best match first."""

    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilterSet
    # Keyset pages by name (or ?ordering= one of these, each indexed); a ?search= is
    # best match first, paged by position.
    pagination_class = KeysetPagination
    ordering_fields = ["display_name", "status", "nationality"]

    def is_ranked(self, request) -> bool:
        return bool(request is not None and request.query_params.get("search", "").strip())

    @property
    def ordering(self):
        """By name, unless a search ranks the rows (best match first)."""
        return None if self.is_ranked(getattr(self, "request", None)) else ("display_name", "id")

    def get_queryset(self):
        # What is nested is what the user may see of it too (service numbers are sensitive);
        # the cases come as an array in the page's query (visible_case_rows).
        user = self.request.user
        cases = (
            CaseSubject.objects.visible_to(user)
            .filter(person=OuterRef("pk"))
            .order_by("case_id", "id")
            .values(row=JSONObject(id="id", case="case_id", role="role"))
        )
        return (
            super()
            .get_queryset()
            .annotate(visible_case_rows=ArraySubquery(cases))
            .prefetch_related(
                Prefetch("names", PersonName.objects.visible_to(user)),
                Prefetch("identifiers", PersonIdentifier.objects.visible_to(user)),
                Prefetch("detentions", Detention.objects.visible_to(user)),
            )
        )


class PersonNameViewSet(VigilViewSet):
    """Every other name and spelling of a person (original script, transliterations, aliases)."""

    queryset = PersonName.objects.all()
    serializer_class = serializers.PersonNameSerializer
    filterset_class = filters.PersonNameFilterSet
    ordering_fields = ["name", "kind", "person"]


class PersonIdentifierViewSet(VigilViewSet):
    """ICRC references, service and prisoner numbers, national IDs…"""

    queryset = PersonIdentifier.objects.all()
    serializer_class = serializers.PersonIdentifierSerializer
    filterset_class = filters.PersonIdentifierFilterSet
    ordering_fields = ["kind", "value", "person"]


class DetentionViewSet(VigilViewSet):
    """Where, by whom and from when to when a person was held."""

    queryset = Detention.objects.all()
    serializer_class = serializers.DetentionSerializer
    filterset_class = filters.DetentionFilterSet
    ordering_fields = ["started_on", "ended_on", "person"]
