"""Casework's API: cases, the people in them, requests and their updates,
governments, involvements, positions, interventions, notes and follow-ups.

Writes that are business rules call the service that owns them
(``casework.services``), never a copy of it.
"""

from __future__ import annotations

import re

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from casework import filtersets, selectors, services
from casework.api import serializers
from casework.models import (
    Actor,
    Case,
    CaseNote,
    CaseSubject,
    FollowUp,
    Government,
    Intervention,
    Involvement,
    LegalArgument,
    LegalBasis,
    PositionStatement,
    RequestUpdate,
    StatedRequest,
)
from core.api.pagination import KeysetPagination
from core.api.translations import TranslationsActionMixin
from core.api.views import ReadCreateViewSet, VigilViewSet

CASE_ID = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=_("The case's id (`12`) or its reference (`VIG-2025-0001`)."),
)


def case_by_id_or_reference(cases, value) -> Case:
    """The case among ``cases`` whose id (``12``) or reference (``VIG-2025-0001``) is ``value``, or 404."""
    value = str(value)
    if re.fullmatch(r"[0-9]+", value):  # ASCII digits only: "²".isdigit() is true, int("²") fails
        return get_object_or_404(cases, pk=int(value))
    return get_object_or_404(cases, reference=value.upper())


@extend_schema_view(
    retrieve=extend_schema(parameters=[CASE_ID]),
    update=extend_schema(parameters=[CASE_ID]),
    partial_update=extend_schema(parameters=[CASE_ID]),
    destroy=extend_schema(parameters=[CASE_ID]),
)
class CaseViewSet(VigilViewSet):
    api_description = _(
        "Cases. Fetch one by id or by reference: ``cases/VIG-2025-0001/``. The merged timeline is "
        "``cases/{id}/timeline/``. Each response showing a restricted case is logged "
        "(``core.middleware.ViewLogMiddleware``)."
    )

    queryset = Case.objects.all()
    serializer_class = serializers.CaseSerializer
    filterset_class = filtersets.CaseFilterSet
    # Keyset pages (a million cases deep): newest first by default, or by one of
    # these never-null fields, id breaking ties; each has an index (casework.models).
    pagination_class = KeysetPagination
    ordering = ("-opened_on", "-id")
    ordering_fields = ["opened_on", "reference", "title", "status", "priority"]

    def get_queryset(self):
        # The team and the people (those the user may see) come in the page's one query.
        return super().get_queryset().with_team_and_subjects(self.request.user)

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: OpenApiTypes.OBJECT},
        filters=False,
        description=_(
            "The position matrix as the case page shows it: for each request (and the case as a whole) and each "
            "government involved, its latest statement: stance, condition, date as written, age in days, source."
        ),
    )
    @action(detail=True, methods=["get"], url_path="positions", filter_backends=[], pagination_class=None)
    def positions(self, request, pk=None):
        case = self.get_object()
        matrix = selectors.position_matrix(case=case, requests=selectors.case_requests(case=case, user=request.user))
        today = timezone.localdate()

        def cell(statement):
            if statement is None:
                return None
            source = statement.source
            return {
                "id": statement.pk,
                "stance": statement.stance,
                "stance_display": statement.get_stance_display(),
                "condition": statement.condition,
                "stated_on": statement.stated_on,
                "stated_on_precision": statement.stated_on_precision,
                "stated_on_display": str(statement.stated),
                "days_since": None if statement.stated_on is None else (today - statement.stated_on).days,
                "source": None if source is None else {"id": source.pk, "title": source.title, "url": source.url},
            }

        return Response(
            {
                "case": case.reference,
                "governments": [
                    {
                        "involvement": inv.pk,
                        "government": inv.government_id,
                        "name": inv.government.name,
                        "role": inv.role,
                    }
                    for inv in matrix.involvements
                ],
                "rows": [
                    {
                        "request": None if row.request is None else row.request.pk,
                        "summary": "the case as a whole" if row.request is None else row.request.summary,
                        "person_name": None if row.request is None else row.request.person.display_name,
                        "positions": {c.involvement.government.name: cell(c.statement) for c in row.cells},
                    }
                    for row in matrix.rows
                ],
                "silent_requests": [
                    {"request": r.pk, "summary": r.summary, "person_name": r.person.display_name} for r in matrix.silent
                ],
            }
        )

    def get_object(self):
        case = case_by_id_or_reference(self.get_queryset(), self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, case)
        return case


class CaseSubjectViewSet(VigilViewSet):
    api_description = _("People in cases, with their role: how a person joins (or leaves) a case.")

    queryset = CaseSubject.objects.select_related("case", "person")
    serializer_class = serializers.CaseSubjectSerializer
    filterset_class = filtersets.CaseSubjectFilterSet
    ordering_fields = ["case", "person", "role"]


class GovernmentViewSet(VigilViewSet):
    api_description = _("States, de facto authorities and international organisations.")

    queryset = Government.objects.all()
    serializer_class = serializers.GovernmentSerializer
    filterset_class = filtersets.GovernmentFilterSet
    ordering_fields = ["name", "country", "kind"]

    def get_queryset(self):
        # Governments are public reference data, not part of any case: every
        # permitted user sees them all (there is no visible_to rule to apply).
        return self.queryset.all()


class ActorViewSet(VigilViewSet):
    api_description = _(
        "Organisations and people other than governments: an NGO and its head, the ICRC, a journalist, a "
        "ministry's spokesperson. ``?search=`` finds them by any name or spelling."
    )

    queryset = Actor.objects.select_related("organisation", "government")
    serializer_class = serializers.ActorSerializer
    filterset_class = filtersets.ActorFilterSet
    ordering_fields = ["name", "kind", "country"]

    def get_queryset(self):
        # Reference data, like governments: every permitted user sees them all; what ties an
        # actor to a case is shown only with that case's records (their own visible_to).
        return self.queryset.all()


class LegalBasisViewSet(VigilViewSet):
    api_description = _("The vocabulary of legal bases; data managers extend it.")

    queryset = LegalBasis.objects.all()
    serializer_class = serializers.LegalBasisSerializer
    filterset_class = filtersets.LegalBasisFilterSet
    ordering_fields = ["name"]

    def get_queryset(self):
        # Reference data, like governments: every permitted user sees it all.
        return self.queryset.all()


class LegalArgumentViewSet(VigilViewSet):
    api_description = _("Arguments resting on a legal basis, for requests and in interventions.")

    queryset = LegalArgument.objects.select_related(
        "case",
        "basis",
        "request__person",
        "intervention__government",
        "intervention__addressed_to_actor",
        "argued_by",
        "source",
    )
    serializer_class = serializers.LegalArgumentSerializer
    filterset_class = filtersets.LegalArgumentFilterSet
    ordering_fields = ["id", "created_at"]


class StatedRequestViewSet(TranslationsActionMixin, VigilViewSet):
    api_description = _(
        "What people asked for. ``status`` is read-only: POST ``requests/{id}/updates/`` to change it (or "
        "reaffirm it); the updates are the request's story."
    )

    queryset = StatedRequest.objects.select_related("person", "case", "addressed_to").prefetch_related("updates")
    serializer_class = serializers.StatedRequestSerializer

    def get_queryset(self):
        return super().get_queryset().with_stalled()

    filterset_class = filtersets.StatedRequestFilterSet
    ordering_fields = ["first_stated_on", "status_changed_at", "status", "category", "created_at"]

    @extend_schema(
        request=serializers.RequestUpdateOfRequestSerializer,
        responses={201: serializers.RequestUpdateSerializer},
        summary=_("Record a change of status (or a reaffirmation) of this request"),
    )
    @action(detail=True, methods=["post"], url_path="updates", permission_classes=[IsAuthenticated])
    def updates(self, request, pk=None):
        stated_request = self.get_object()
        if not request.user.has_perm("casework.add_requestupdate"):
            raise PermissionDenied(gettext("Recording a request update needs the “add request update” permission."))
        serializer = serializers.RequestUpdateOfRequestSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        update = record_request_update(serializer.validated_data, request=stated_request, user=request.user)
        return Response(
            serializers.RequestUpdateSerializer(update, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


def record_request_update(data: dict, *, request: StatedRequest, user) -> RequestUpdate:
    """Validated API input → ``casework.services.request_update_status`` (its fields are the service's arguments)."""
    return services.request_update_status(**{**data, "request": request}, user=user)


class RequestUpdateViewSet(ReadCreateViewSet):
    api_description = _(
        "Every change of a request's status, and every reaffirmation. Only added: POST here (with "
        "``request``) or to ``requests/{id}/updates/`` — the same service."
    )

    queryset = RequestUpdate.objects.select_related("request__person", "source")
    serializer_class = serializers.RequestUpdateSerializer
    filterset_class = filtersets.RequestUpdateFilterSet
    ordering_fields = ["occurred_on", "created_at"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = record_request_update(data, request=data["request"], user=self.request.user)


class InvolvementViewSet(VigilViewSet):
    api_description = _("Governments in cases, their role and current position (their latest statement).")

    queryset = Involvement.objects.with_current_position().select_related("case", "government")
    serializer_class = serializers.InvolvementSerializer
    filterset_class = filtersets.InvolvementFilterSet
    ordering_fields = ["case", "role", "government"]

    def perform_create(self, serializer):
        serializer.save()
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)  # with its current position

    perform_update = perform_create


class PositionStatementViewSet(TranslationsActionMixin, ReadCreateViewSet):
    api_description = _(
        "Governments' dated statements of position. Only added, never edited: the latest is the government's "
        "current position."
    )

    queryset = PositionStatement.objects.select_related(
        "involvement__government", "request__person", "source", "spoken_by"
    )
    serializer_class = serializers.PositionStatementSerializer
    filterset_class = filtersets.PositionStatementFilterSet
    ordering_fields = ["stated_on", "created_at", "stance"]

    def perform_create(self, serializer):
        # The serializer's writable fields are exactly the service's arguments.
        serializer.instance = services.position_record(**serializer.validated_data, user=self.request.user)


class InterventionViewSet(VigilViewSet):
    api_description = _("What the advocates did: letters, meetings, petitions, UN communications.")

    queryset = Intervention.objects.select_related("case", "government", "addressed_to_actor", "request__person")
    serializer_class = serializers.InterventionSerializer
    filterset_class = filtersets.InterventionFilterSet
    ordering_fields = ["occurred_on", "created_at", "status"]


class CaseNoteViewSet(TranslationsActionMixin, VigilViewSet):
    api_description = _("The team's journal of each case.")

    queryset = CaseNote.objects.select_related("case", "author")
    serializer_class = serializers.CaseNoteSerializer
    filterset_class = filtersets.CaseNoteFilterSet
    ordering_fields = ["created_at"]

    def perform_create(self, serializer):
        serializer.instance = services.note_record(**serializer.validated_data, user=self.request.user)


class FollowUpViewSet(VigilViewSet):
    api_description = _("Dated tasks on cases, with their assignee.")

    queryset = FollowUp.objects.select_related("case", "assignee")
    serializer_class = serializers.FollowUpSerializer
    filterset_class = filtersets.FollowUpFilterSet
    ordering_fields = ["due_on", "done_at", "created_at"]

    def perform_create(self, serializer):
        serializer.instance = services.follow_up_record(**serializer.validated_data, user=self.request.user)
