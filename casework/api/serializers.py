"""Casework's API representations: cases, requests and their updates,
governments, their involvement and statements, interventions, notes, follow-ups.

Two rules of the domain are kept here by refusing, never by re-implementing:
a request's ``status`` is read-only (it changes through
``casework.services.request_update_status``, reached by POST
``requests/{id}/updates/``), and position statements are only added
(``casework.services.position_record``).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework import services
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
    RequestStatus,
    RequestUpdate,
    Stance,
    StatedRequest,
)
from core.api.serializers import AnnotatedIdsField, VigilModelSerializer, drf_error
from core.dates import DatePrecision
from core.exposure import api_fields

User = get_user_model()

STATUS_IS_READ_ONLY = gettext_lazy(
    "A request's status changes only by recording an update: POST /api/v1/requests/{id}/updates/ "
    'with {"status": …, "occurred_on": …, "occurred_on_precision": …, "note": …}.'
)


class GovernmentSerializer(VigilModelSerializer):
    class Meta:
        model = Government
        fields = api_fields("casework.Government")
        url_name = "api-government-detail"


class ActorSerializer(VigilModelSerializer):
    """An organisation or a person other than a government, with names in every script.
    It lists no events, sources or cases: those are read where they are, each with its case."""

    readable = ("organisation", "government")

    class Meta:
        model = Actor
        fields = api_fields("casework.Actor")
        url_name = "api-actor-detail"


class LegalBasisSerializer(VigilModelSerializer):
    """A legal basis of the vocabulary (GC III Art. 118, non-refoulement, ...)."""

    class Meta:
        model = LegalBasis
        fields = api_fields("casework.LegalBasis")
        url_name = "api-legalbasis-detail"


class LegalArgumentSerializer(VigilModelSerializer):
    """An argument resting on a legal basis, for a request and/or in an intervention."""

    readable = ("case", "basis", "request", "intervention", "argued_by", "source")

    class Meta:
        model = LegalArgument
        fields = api_fields("casework.LegalArgument")
        url_name = "api-legalargument-detail"


class CaseSubjectSerializer(VigilModelSerializer):
    """A person in a case, with their role (detainee, family member, witness, representative)."""

    readable = ("case", "person")

    class Meta:
        model = CaseSubject
        fields = api_fields("casework.CaseSubject")
        url_name = "api-casesubject-detail"


class CaseSubjectInCaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseSubject
        fields = ("id", "person", "role")


class CaseSerializer(VigilModelSerializer):
    """A case. ``reference`` is issued by the database on creation and never changes.
    Its ``lead``, ``team`` and ``confidentiality`` are changed only by who controls
    the case (``casework.services.case_control_check``): 403 for anyone else, 400
    for a lead without the case lead role."""

    team = AnnotatedIdsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True)),
        required=False,
        help_text=_("User ids of the team: with the lead, the only people who see a restricted case."),
    )
    subjects = serializers.SerializerMethodField(
        help_text=_("The people in the case (those you may see); add one with POST case-subjects/.")
    )

    # Issued by the database default: validating it would draw a number.
    clean_exclude = ("reference",)

    class Meta:
        model = Case
        fields = api_fields("casework.Case", "subjects")
        url_name = "api-case-detail"

    def update(self, instance, validated_data):
        instance = super().update(instance, validated_data)
        for annotation in ("team_ids", "subject_rows"):  # read before the change: read again
            instance.__dict__.pop(annotation, None)
        return instance

    @extend_schema_field(CaseSubjectInCaseSerializer(many=True))
    def get_subjects(self, case) -> list[dict]:
        rows = getattr(case, "subject_rows", None)  # CaseQuerySet.with_team_and_subjects(): no extra query
        if rows is None:
            subjects = CaseSubject.objects.visible_to(self.user).filter(case=case).order_by("role", "id")
            rows = list(subjects.values("id", "person", "role"))
        return rows

    def validate(self, attrs):
        asked = {name: attrs[name] for name in ("lead", "team", "confidentiality") if name in attrs}
        try:
            services.case_control_check(user=self.user, case=self.instance, **asked)
        except DjangoValidationError as error:
            raise drf_error(error) from None
        return super().validate(attrs)


class RequestUpdateSerializer(VigilModelSerializer):
    """One step of a request's story: its new status (or the same one, a
    reaffirmation), when, why, on what source, recorded by whom."""

    clean_exclude = ("previous_status", "recorded_by")

    readable = ("request", "source")

    class Meta:
        model = RequestUpdate
        fields = api_fields("casework.RequestUpdate")
        url_name = "api-requestupdate-detail"


class RequestUpdateOfRequestSerializer(RequestUpdateSerializer):
    """The same, posted to ``requests/{id}/updates/``: the request is the URL's."""

    clean_exclude = ("previous_status", "recorded_by", "request")

    class Meta(RequestUpdateSerializer.Meta):
        read_only_fields = ("request",)


class StatedRequestSerializer(VigilModelSerializer):
    """What a person asked for. ``status`` is read-only; its story is ``updates``."""

    updates = RequestUpdateSerializer(many=True, read_only=True)
    readable = ("case", "person", "addressed_to")
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    stalled = serializers.SerializerMethodField(
        help_text=_("Open and not moved for VIGIL_STALLED_AFTER_DAYS, or marked stalled (supplies never are).")
    )
    days_without_movement = serializers.SerializerMethodField(help_text=_("Days since last_moved_on."))

    class Meta:
        model = StatedRequest
        fields = api_fields(
            "casework.StatedRequest", "updates", "person_name", "case_reference", "stalled", "days_without_movement"
        )
        url_name = "api-request-detail"

    def get_stalled(self, request) -> bool:
        if hasattr(request, "is_stalled"):  # StatedRequestQuerySet.with_stalled(): the list's one query
            return bool(request.is_stalled)
        return StatedRequest.objects.filter(pk=request.pk).stalled().exists()

    def get_days_without_movement(self, request) -> int | None:
        if request.last_moved_on is None:
            return None
        return (timezone.localdate() - request.last_moved_on).days

    def create(self, validated_data):
        return self._with_last_moved(super().create(validated_data))

    def update(self, instance, validated_data):
        return self._with_last_moved(super().update(instance, validated_data))

    @staticmethod
    def _with_last_moved(request):
        request.refresh_from_db(fields=["last_moved_on"])  # set by the database's trigger on save
        return request

    def validate(self, attrs):
        current = self.instance.status if self.instance is not None else RequestStatus.STATED
        if "status" in self.initial_data and self.initial_data["status"] != current:
            raise serializers.ValidationError({"status": STATUS_IS_READ_ONLY})
        return super().validate(attrs)


class InvolvementSerializer(VigilModelSerializer):
    """A government in a case, its role, and its current position (its latest
    statement), annotated by ``Involvement.objects.with_current_position()``."""

    current_stance = serializers.ChoiceField(
        choices=Stance.choices,
        read_only=True,
        allow_null=True,
        help_text=_("Stance of the latest statement, null when none."),
    )
    current_condition = serializers.CharField(read_only=True, allow_null=True, help_text=_("Its condition, in words."))
    current_stated_on = serializers.DateField(read_only=True, allow_null=True, help_text=_("Its date."))
    current_stated_on_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, read_only=True, allow_null=True, help_text=_("The precision of that date.")
    )

    readable = ("case", "government")

    class Meta:
        model = Involvement
        fields = api_fields(
            "casework.Involvement",
            "current_stance",
            "current_condition",
            "current_stated_on",
            "current_stated_on_precision",
        )
        url_name = "api-involvement-detail"


class PositionStatementSerializer(VigilModelSerializer):
    """A dated statement of a government's position, on the case or one request. Only added."""

    clean_exclude = ("recorded_by",)

    readable = ("involvement", "request", "source", "spoken_by")

    class Meta:
        model = PositionStatement
        fields = api_fields("casework.PositionStatement")
        url_name = "api-position-detail"


class InterventionSerializer(VigilModelSerializer):
    """What the advocates did: to which government, asking what, and the answer."""

    made_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        default=serializers.CurrentUserDefault(),
        allow_null=True,
        help_text=_("User id; defaults to you."),
    )

    readable = ("case", "government", "addressed_to_actor", "request")

    class Meta:
        model = Intervention
        fields = api_fields("casework.Intervention")
        url_name = "api-intervention-detail"


class CaseNoteSerializer(VigilModelSerializer):
    """An entry of the team's journal; its author is whoever posts it."""

    readable = ("case", "author")

    class Meta:
        model = CaseNote
        fields = api_fields("casework.CaseNote")
        read_only_fields = ("author",)
        url_name = "api-note-detail"


class FollowUpSerializer(VigilModelSerializer):
    readable = ("case", "assignee")

    class Meta:
        model = FollowUp
        fields = api_fields("casework.FollowUp")
        url_name = "api-followup-detail"
