"""People's API: people, and their names, identifiers and detentions."""

from __future__ import annotations

from django.apps import apps
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Prefetch
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.response import Response

from core.api.pagination import KeysetPagination
from core.api.views import VigilViewSet
from people import filtersets
from people.api import serializers
from people.duplicates import Draft, candidates_for, merged_survivor
from people.models import Detention, Person, PersonIdentifier, PersonName

# The cases a person is in are casework's, a layer above people (tests/project/test_layers.py): named, not imported.
CaseSubject = apps.get_model("casework", "CaseSubject")

DuplicateResponse = inline_serializer(
    "PossibleDuplicates",
    {
        "detail": drf_serializers.CharField(),
        "candidates": inline_serializer(
            "DuplicateCandidate",
            {
                "id": drf_serializers.IntegerField(),
                "display_name": drf_serializers.CharField(),
                "name_original": drf_serializers.CharField(),
                "score": drf_serializers.IntegerField(),
                "reasons": drf_serializers.ListField(child=drf_serializers.CharField()),
            },
            many=True,
        ),
    },
)


class PersonViewSet(VigilViewSet):
    api_description = _(
        "People in detention (and their relatives, witnesses...), each with every name, identifier, detention "
        "and visible case nested. ``?search=`` finds any spelling in any script, best match first."
    )

    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet
    # Keyset pages by name (or ?ordering= one of these, each indexed); a ?search= is
    # best match first, paged by position.
    pagination_class = KeysetPagination
    ordering_fields = ["display_name", "status", "nationality"]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "confirm_new", bool, description=_("Create even if people already recorded may be this one.")
            )
        ],
        responses={201: serializers.PersonSerializer, 409: OpenApiResponse(DuplicateResponse)},
        description=_(
            "Create a person; ``409`` with the likely duplicates (score and reasons) unless ``?confirm_new=true``."
        ),
    )
    def create(self, request, *args, **kwargs):
        if request.query_params.get("confirm_new", "").lower() not in ("true", "1", "yes"):
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            draft = Draft(
                names=[n for n in (data.get("display_name"), data.get("name_original")) if n],
                birth_date=data.get("birth_date"),
                birth_precision=data.get("birth_date_precision", "day"),
                nationality=str(data.get("nationality") or ""),
            )
            found = candidates_for(draft=draft, user=request.user)
            if found:
                return Response(
                    {
                        "detail": gettext(
                            "People already recorded may be this person: use one of them, "
                            "or repeat with ?confirm_new=true."
                        ),
                        "candidates": [candidate.as_dict() for candidate in found],
                    },
                    status=status.HTTP_409_CONFLICT,
                )
        return super().create(request, *args, **kwargs)

    @extend_schema(description=_("A person; the id of a person merged into another answers ``301`` to the survivor."))
    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            survivor = merged_survivor(pk=_int(kwargs.get("pk")), user=request.user)
            if survivor is None:
                raise
            return Response(
                {"detail": f"Merged into person {survivor.pk}.", "id": survivor.pk},
                status=status.HTTP_301_MOVED_PERMANENTLY,
                headers={"Location": request.build_absolute_uri(f"../{survivor.pk}/")},
            )

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
                # Of the people just found through visible_to(user): not checked again, row by row.
                Prefetch("names", PersonName.objects.with_visible_people(user)),
                Prefetch("identifiers", PersonIdentifier.objects.with_visible_people(user)),
                # With their authority: the serializer reads it (its access check), one query a row otherwise.
                Prefetch("detentions", Detention.objects.with_visible_people(user).select_related("authority")),
            )
        )


class PersonNameViewSet(VigilViewSet):
    api_description = _("Every other name and spelling of a person (original script, transliterations, aliases).")

    queryset = PersonName.objects.select_related("person")
    serializer_class = serializers.PersonNameSerializer
    filterset_class = filtersets.PersonNameFilterSet
    ordering_fields = ["name", "kind", "person"]


class PersonIdentifierViewSet(VigilViewSet):
    api_description = _("ICRC references, service and prisoner numbers, national IDs…")

    queryset = PersonIdentifier.objects.select_related("person")
    serializer_class = serializers.PersonIdentifierSerializer
    filterset_class = filtersets.PersonIdentifierFilterSet
    ordering_fields = ["kind", "value", "person"]


class DetentionViewSet(VigilViewSet):
    api_description = _("Where, by whom and from when to when a person was held.")

    queryset = Detention.objects.select_related("person", "authority")
    serializer_class = serializers.DetentionSerializer
    filterset_class = filtersets.DetentionFilterSet
    ordering_fields = ["started_on", "ended_on", "person"]


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
