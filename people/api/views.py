"""People's API: people, and their names, identifiers and detentions."""

from __future__ import annotations

from django.db.models import Prefetch

from casework.models import CaseSubject
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
    ordering_fields = ["display_name", "status", "nationality", "birth_date", "created_at", "updated_at"]

    def get_queryset(self):
        # What is nested is what the user may see of it too (service numbers are sensitive).
        user = self.request.user
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("names", PersonName.objects.visible_to(user)),
                Prefetch("identifiers", PersonIdentifier.objects.visible_to(user)),
                Prefetch("detentions", Detention.objects.visible_to(user)),
                Prefetch(
                    "case_subjects",
                    CaseSubject.objects.visible_to(user).order_by("case_id"),
                    to_attr="visible_case_subjects",
                ),
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
