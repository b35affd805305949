"""Events' API: events (cursor pages), sources, citations, and a case's timeline."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS

from casework.api.views import case_by_id_or_reference
from casework.models import Case, Government
from core.api.folded import Fold, fold, unfold
from core.api.pagination import KeysetPagination
from core.api.serializers import TextTranslationSerializer
from core.api.translations import TranslationsActionMixin
from core.api.views import VigilViewSet
from core.models import TextTranslation
from core.querysets import visible
from events import filtersets, services
from events.api import serializers
from events.api.pagination import TimelineCursorPagination
from events.models import Citation, Event, EventActor, Source, sort_date
from events.timeline import TimelineFilter
from people.models import Person


class EventViewSet(TranslationsActionMixin, VigilViewSet):
    api_description = _(
        "The events of cases' timelines, oldest first (unknown dates last), in cursor pages: follow ``next``. "
        "Events marked sensitive, and welfare incidents, exist only for users who may see sensitive details "
        "(visible_to)."
    )

    queryset = Event.objects.annotate(sort_date=sort_date()).select_related("case")
    serializer_class = serializers.EventSerializer
    filterset_class = filtersets.EventFilterSet
    pagination_class = KeysetPagination
    ordering = ("sort_date", "id")
    ordering_fields = ["sort_date", "created_at"]

    def folds(self) -> list[Fold]:
        """What each event shows of its links, read in the page's own query (core/api/folded.py):
        the people and citations the user may see (a person held only in a restricted case is
        left out, as is a citation of a fact the user may not see), its governments, its actors
        present and its translations."""
        user, event = self.request.user, OuterRef("pk")
        return [
            Fold(
                "people",
                Person.objects.visible_to(user).filter(event_links__event=event),
                ("id", "display_name", "name_original"),
            ),
            Fold("governments", visible(Government.objects.filter(event_links__event=event), user), ("id", "name")),
            Fold(
                "citations",
                Citation.objects.visible_to(user).filter(event=event).order_by("id"),
                ("id", "source", "locator", "confidence"),
                {"source": ("id", "title", "publisher")},
            ),
            Fold(
                "event_actors",
                EventActor.objects.filter(event=event).order_by("id"),
                ("id", "actor", "part"),
                {"actor": ("id", "name", "name_original", "role")},
            ),
            Fold(
                "translations",
                TextTranslation.objects.filter(content_type=ContentType.objects.get_for_model(Event), object_id=event),
                TextTranslationSerializer.Meta.fields,
            ),
        ]

    def get_queryset(self):
        # The links are folded into the page's query, not prefetched (one query each).
        self.folded = self.folds()  # once a request: building their querysets costs
        return fold(super().get_queryset().prefetch_related(None), self.folded)

    def get_serializer(self, *args, **kwargs):
        instance = args[0] if args else kwargs.get("instance")
        if instance is not None and self.request.method in SAFE_METHODS:  # a write reads and sets its links
            folded = getattr(self, "folded", None) or self.folds()
            unfold(instance if isinstance(instance, list) else [instance], folded)
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        sources = [services.CitedSource(**cited) for cited in data.pop("sources", [])]
        serializer.instance = services.event_record(user=self.request.user, **data, sources=sources)


class SourceViewSet(TranslationsActionMixin, VigilViewSet):
    api_description = _("Where facts come from: reports, statements, interviews, documents.")

    queryset = Source.objects.select_related("author")
    serializer_class = serializers.SourceSerializer
    filterset_class = filtersets.SourceFilterSet
    ordering_fields = ["published_on", "title", "reliability", "created_at"]


class CitationViewSet(VigilViewSet):
    api_description = _("Links between one fact (event, request, request update, position) and a source.")

    queryset = Citation.objects.select_related("source")
    serializer_class = serializers.CitationSerializer
    filterset_class = filtersets.CitationFilterSet
    ordering_fields = ["id", "confidence"]


@extend_schema(
    parameters=[
        OpenApiParameter(
            "case",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description=_("The case's id (`12`) or its reference (`VIG-2025-0001`)."),
        )
    ]
)
class CaseTimelineView(generics.ListAPIView):
    api_description = _(
        "A case's timeline: its events, request updates, government statements and interventions, merged in "
        "date order (unknown dates last), each with its date as written and its sources. Cursor pages: follow "
        "``next``. Each read of a restricted case's timeline is logged "
        "(``core.middleware.ViewLogMiddleware``)."
    )

    queryset = Case.objects.all()  # for the permission check: view_case
    serializer_class = serializers.TimelineEntrySerializer
    pagination_class = TimelineCursorPagination
    filter_backends = []

    ACCEPTED = (*TimelineFilter.PARAMETERS, "cursor", "page_size")

    def timeline_filter(self, request) -> TimelineFilter:
        """``?since=&until=`` and ``?kind=`` (events.timeline.TimelineFilter). Anything else: 400."""
        wanted = TimelineFilter.from_query(request.query_params)
        unknown = sorted(set(request.query_params) - set(self.ACCEPTED))
        errors = {name: [f"Unknown parameter. Accepted: {', '.join(self.ACCEPTED)}."] for name in unknown}
        if errors or wanted.errors:
            raise ValidationError({**errors, **wanted.errors})
        return wanted

    def get_case(self) -> Case:
        return case_by_id_or_reference(Case.objects.visible_to(self.request.user), self.kwargs["case"])

    def list(self, request, *args, **kwargs):
        case = self.get_case()
        wanted = self.timeline_filter(request)
        page = self.paginator.paginate_timeline(
            case, request, since=wanted.since, until=wanted.until, kinds=frozenset(wanted.kinds)
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
