"""``POST /api/v1/cases/{id|reference}/developments/``: one piece of news, its source and
what it changes, in one call and one transaction (``events.services.development_record``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from casework.api.serializers import FollowUpSerializer, PositionStatementSerializer, RequestUpdateSerializer
from casework.api.views import case_by_id_or_reference
from casework.models import Actor, Case, Government, Involvement, RequestStatus, Stance, StatedRequest
from core.api.serializers import VisiblePrimaryKeyRelatedField
from core.dates import DatePrecision
from events.api.serializers import EventSerializer, SourceSerializer
from events.models import Confidence, EventKind, Reliability, Sensitivity, Source, SourceKind
from events.services import DevelopmentInvalid, development_record
from people.models import Person

PRECISION_HELP = "day, month, quarter, year or unknown: required, never assumed."


class ReportedDateMixin:
    """``<x>`` and ``<x>_precision``: the precision is required, and the date too unless it is unknown."""

    date_fields: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        for name in self.date_fields:
            if attrs.get(f"{name}_precision") == DatePrecision.UNKNOWN:
                attrs[name] = None
            elif attrs.get(name) is None:
                raise serializers.ValidationError({name: gettext("Give a date, or “unknown” as its precision.")})
        return attrs


def precision_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=DatePrecision.choices, help_text=PRECISION_HELP)


class NewSourceSerializer(ReportedDateMixin, serializers.Serializer):
    date_fields = ("published_on",)

    title = serializers.CharField(max_length=400)
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    author = VisiblePrimaryKeyRelatedField(
        queryset=Actor.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Who wrote or said it (an actor id): an NGO's head, a journalist, a spokesperson."),
    )
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    published_on = serializers.DateField(required=False, allow_null=True)
    published_on_precision = precision_field()
    language = serializers.CharField(max_length=35, required=False, allow_blank=True, default="")
    reliability = serializers.ChoiceField(choices=Reliability.choices, default=Reliability.F)


class CaseRelatedField(VisiblePrimaryKeyRelatedField):
    """An id among the objects of the URL's case (``case_path`` from the object to its case)."""

    def __init__(self, *, case_path: str, **kwargs):
        self.case_path = case_path
        super().__init__(**kwargs)

    def get_queryset(self):
        case = self.context.get("case")
        return super().get_queryset().filter(**{self.case_path: case})


class ActorPresentSerializer(serializers.Serializer):
    actor = VisiblePrimaryKeyRelatedField(queryset=Actor.objects.all(), help_text=_("The actor's id."))
    part = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text=_('"met them", "relayed the request".')
    )


class DevelopmentEventSerializer(ReportedDateMixin, serializers.Serializer):
    date_fields = ("occurred_on",)

    kind = serializers.ChoiceField(choices=EventKind.choices)
    title = serializers.CharField(max_length=300)
    occurred_on = serializers.DateField(required=False, allow_null=True)
    occurred_on_precision = precision_field()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    country = CountryField(required=False, allow_blank=True, default="")
    people = CaseRelatedField(
        case_path="case_subjects__case", many=True, queryset=Person.objects.all(), required=False, default=list
    )
    governments = CaseRelatedField(
        case_path="involvements__case", many=True, queryset=Government.objects.all(), required=False, default=list
    )
    actors = ActorPresentSerializer(
        many=True, required=False, default=list, help_text=_("The actors present: [{actor, part}].")
    )
    interpretation = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("What an observation may mean, every reading named.")
    )
    interpretation_confidence = serializers.ChoiceField(
        choices=Confidence.choices, required=False, allow_blank=True, default=""
    )
    sensitivity = serializers.ChoiceField(choices=Sensitivity.choices, default=Sensitivity.NORMAL)

    def validate_actors(self, value):
        return [(item["actor"], item["part"]) for item in value]


def case_requests(**kwargs) -> CaseRelatedField:
    return CaseRelatedField(case_path="case", many=True, queryset=StatedRequest.objects.all(), **kwargs)


class DevelopmentPositionSerializer(ReportedDateMixin, serializers.Serializer):
    date_fields = ("stated_on",)

    involvement = CaseRelatedField(
        case_path="case", queryset=Involvement.objects.all(), help_text=_("The government's involvement in this case.")
    )
    requests = case_requests(required=False, default=list, help_text=_("None: a position on the case as a whole."))
    stance = serializers.ChoiceField(choices=Stance.choices)
    stated_on = serializers.DateField(required=False, allow_null=True)
    stated_on_precision = precision_field()
    condition = serializers.CharField(required=False, allow_blank=True, default="")
    statement_original = serializers.CharField(required=False, allow_blank=True, default="")
    statement_language = serializers.CharField(max_length=35, required=False, allow_blank=True, default="")
    spoken_by = VisiblePrimaryKeyRelatedField(
        queryset=Actor.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Who spoke for the government (an actor id): a minister, a spokesperson."),
    )


class DevelopmentUpdatesSerializer(ReportedDateMixin, serializers.Serializer):
    date_fields = ("occurred_on",)

    requests = case_requests(allow_empty=False)
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    occurred_on = serializers.DateField(required=False, allow_null=True)
    occurred_on_precision = precision_field()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DevelopmentFollowUpSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    due_on = serializers.DateField()
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DevelopmentSerializer(serializers.Serializer):
    """One piece of news: ``source`` (an id) or ``new_source``, then any of ``event``,
    ``position`` (one statement on several ``requests``), ``updates`` (several requests,
    one new status and date) and ``follow_up``."""

    source = VisiblePrimaryKeyRelatedField(queryset=Source.objects.all(), required=False, allow_null=True)
    new_source = NewSourceSerializer(required=False)
    event = DevelopmentEventSerializer(required=False)
    position = DevelopmentPositionSerializer(required=False)
    updates = DevelopmentUpdatesSerializer(required=False)
    follow_up = DevelopmentFollowUpSerializer(required=False)

    def validate(self, attrs):
        if attrs.get("source") and attrs.get("new_source"):
            raise serializers.ValidationError(
                {"new_source": gettext("Give an existing source or a new one, not both.")}
            )
        if not any(attrs.get(part) for part in PART_PERMISSIONS):
            raise serializers.ValidationError(
                gettext("Record at least one of: event, position, updates, follow_up (with the source they come from).")
            )
        if set(attrs) & {"event", "position", "updates"} and not (attrs.get("source") or attrs.get("new_source")):
            raise serializers.ValidationError(
                {"source": gettext("Say where this comes from: source (id) or new_source.")}
            )
        return attrs


PART_PERMISSIONS = {
    "event": "events.add_event",
    "position": "casework.add_positionstatement",
    "updates": "casework.add_requestupdate",
    "follow_up": "casework.add_followup",
}


@extend_schema(
    parameters=[
        OpenApiParameter(
            "case", OpenApiTypes.STR, OpenApiParameter.PATH, description=_("The case's id or its reference.")
        )
    ],
    request=DevelopmentSerializer,
    responses={201: OpenApiTypes.OBJECT},
    summary=_("Record a development: a source and what it changes, in one transaction"),
)
class CaseDevelopmentView(generics.GenericAPIView):
    api_description = _(
        "``POST cases/{id|reference}/developments/``: a source and an event, a government's position on "
        "several requests, updates of several requests and a follow-up, all or nothing. Errors are given part "
        'by part, field by field: ``{"event": {"occurred_on": [...]}}``.'
    )

    queryset = Case.objects.all()
    serializer_class = DevelopmentSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def post(self, request, *args, **kwargs):
        case = case_by_id_or_reference(Case.objects.visible_to(request.user), kwargs["case"])
        if not any(request.user.has_perm(perm) for perm in PART_PERMISSIONS.values()):
            raise PermissionDenied(
                gettext("Recording a development needs permission to add events, positions or updates.")
            )
        serializer = DevelopmentSerializer(data=request.data, context={**self.get_serializer_context(), "case": case})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        refused = [part for part, perm in PART_PERMISSIONS.items() if part in data and not request.user.has_perm(perm)]
        if refused or (data.get("new_source") and not request.user.has_perm("events.add_source")):
            raise PermissionDenied(
                gettext("You may not record: %(parts)s.") % {"parts": ", ".join(refused) or gettext("a new source")}
            )
        try:
            done = development_record(user=request.user, case=case, **data)
        except DevelopmentInvalid as error:
            return Response(error.parts, status=status.HTTP_400_BAD_REQUEST)
        context = self.get_serializer_context()
        return Response(
            {
                "source": SourceSerializer(done.source, context=context).data if done.source else None,
                "event": EventSerializer(done.event, context=context).data if done.event else None,
                "positions": PositionStatementSerializer(done.positions, many=True, context=context).data,
                "updates": RequestUpdateSerializer(done.updates, many=True, context=context).data,
                "follow_up": FollowUpSerializer(done.follow_up, context=context).data if done.follow_up else None,
                "summary": done.describe(),
            },
            status=status.HTTP_201_CREATED,
        )
