"""Events, sources and citations; and the entries of a case's timeline."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from casework.models import Actor, Government
from core.api.serializers import (
    RelatedNameField,
    RelatedUrlField,
    VigilModelSerializer,
    VisiblePrimaryKeyRelatedField,
)
from core.exposure import api_fields
from events.models import Citation, Confidence, Event, EventActor, Source
from people.models import Person


class SourceSerializer(VigilModelSerializer):
    """A source. Its web address is ``source_url``: ``url``, as on every object, is its API address."""

    url = serializers.HyperlinkedIdentityField(view_name="api-source-detail")
    source_url = serializers.URLField(
        source="url", max_length=1000, required=False, allow_blank=True, help_text=_("Where to read it.")
    )

    readable = ("author",)

    class Meta:
        model = Source
        fields = api_fields("events.Source", "source_url")
        url_name = "api-source-detail"


class CitationSerializer(VigilModelSerializer):
    """Ties exactly one fact (``event``, ``request``, ``request_update`` or ``position``) to a source."""

    readable = ("source",)

    class Meta:
        model = Citation
        fields = api_fields("events.Citation")
        url_name = "api-citation-detail"


class EventCitationSerializer(serializers.ModelSerializer):
    """A source of an event, as shown with the event: its title and API address beside its id."""

    source_name = RelatedNameField("source")
    source_url = RelatedUrlField("source", "api-source-detail")

    class Meta:
        model = Citation
        fields = ("id", "source", "source_name", "source_url", "locator", "confidence")


class EventActorSerializer(serializers.ModelSerializer):
    """An actor at an event, as shown with the event: who, and their part."""

    name = serializers.CharField(source="actor.__str__", read_only=True)

    class Meta:
        model = EventActor
        fields = ("actor", "name", "part")


class ActorIdsField(serializers.ManyRelatedField):
    """The event's actors' ids, read from its prefetched ``event_actors`` (one query a page)."""

    def get_attribute(self, instance):
        from rest_framework.relations import PKOnlyObject

        return [PKOnlyObject(link.actor_id) for link in instance.event_actors.all()]


class CitedSourceSerializer(serializers.Serializer):
    """A source the new event rests on, with where in it and how sure we are."""

    source = VisiblePrimaryKeyRelatedField(queryset=Source.objects.all())
    locator = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    confidence = serializers.ChoiceField(choices=Confidence.choices, default=Confidence.PROBABLE)


class EventSerializer(VigilModelSerializer):
    """Something that happened in a case. Create it with its ``sources`` (each
    becomes a citation, in the same transaction); afterwards, add or change
    citations through ``citations/``."""

    people = VisiblePrimaryKeyRelatedField(
        many=True, queryset=Person.objects.all(), required=False, help_text=_("Ids of the people it concerns.")
    )
    governments = VisiblePrimaryKeyRelatedField(
        many=True, queryset=Government.objects.all(), required=False, help_text=_("Ids of the governments involved.")
    )
    actors = ActorIdsField(
        child_relation=VisiblePrimaryKeyRelatedField(queryset=Actor.objects.all()),
        required=False,
        help_text=_("Ids of the actors present (organisations and people other than governments)."),
    )
    actors_present = EventActorSerializer(
        many=True, read_only=True, source="event_actors", help_text=_("The actors present, named, with their part.")
    )
    citations = EventCitationSerializer(many=True, read_only=True)
    sources = CitedSourceSerializer(
        many=True, write_only=True, required=False, help_text=_("On creation only: the sources it rests on.")
    )

    readable = ("case", "people", "governments")

    class Meta:
        model = Event
        fields = api_fields("events.Event", "actors_present", "citations", "sources")
        url_name = "api-event-detail"

    def validate_sources(self, value):
        if self.instance is not None:
            raise serializers.ValidationError(
                gettext("Sources are given when an event is created; add more with POST citations/.")
            )
        return value

    def update(self, instance, validated_data):
        validated_data.pop("sources", None)
        return super().update(instance, validated_data)


URL_PLACEHOLDER = "0000000000"

#: Each kind of timeline entry and the route of its record.
ENTRY_ROUTES = {
    "event": "api-event-detail",
    "request_update": "api-requestupdate-detail",
    "position": "api-position-detail",
    "intervention": "api-intervention-detail",
}


class TimelineCitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.IntegerField(source="source_id")
    source_title = serializers.CharField(source="source.title")
    source_publisher = serializers.CharField(source="source.publisher")
    source_url = serializers.CharField(source="source.url")
    source_reliability = serializers.CharField(source="source.reliability")
    locator = serializers.CharField()
    confidence = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    """One entry of a case's timeline: an event, a request update, a position statement or an intervention."""

    key = serializers.CharField(help_text=_('Unique in the timeline: "<kind>-<id>".'))
    kind = serializers.ChoiceField(choices=list(ENTRY_ROUTES))
    id = serializers.IntegerField(help_text=_("The id of the event, request update, position or intervention."))
    url = serializers.SerializerMethodField(help_text=_("The API address of that record."))
    date = serializers.SerializerMethodField(help_text=_("As written: 17 February 2025, January 2025, Q4 2024."))
    date_value = serializers.DateField(source="date.value", allow_null=True, help_text=_("The period's first day."))
    date_precision = serializers.CharField(source="date.precision")
    title = serializers.CharField()
    description = serializers.CharField()
    subkind = serializers.CharField(
        help_text=_("The event's kind, the update's new status, the stance, or the intervention's kind.")
    )
    sensitive = serializers.BooleanField()
    sources = TimelineCitationSerializer(many=True, source="citations")

    @extend_schema_field(serializers.CharField())
    def get_date(self, entry) -> str:
        return str(entry.date)

    @extend_schema_field(serializers.URLField())
    def get_url(self, entry) -> str:
        return reverse(ENTRY_ROUTES[entry.kind], args=[entry.id], request=self.context.get("request"))

    def to_representation(self, entry) -> dict:
        """The fields above, written out: a timeline page is up to 500 entries, and
        DRF's field-by-field path costs most of its time. The same output
        (tests/events/test_api_timeline.py compares them), with each kind's address
        reversed once per page."""
        date = entry.date
        return {
            "key": entry.key,
            "kind": entry.kind,
            "id": entry.id,
            "url": self._url_template(entry.kind).replace(URL_PLACEHOLDER, str(entry.id)),
            "date": str(date),
            "date_value": None if date.value is None else date.value.isoformat(),
            "date_precision": date.precision,
            "title": str(entry.title),
            "description": str(entry.description),
            "subkind": str(entry.subkind),
            "sensitive": entry.sensitive,
            # Built by PostgreSQL for the API's pages (events.timeline.rows), or from the citations.
            "sources": entry.citations
            if entry.obj is None
            else [
                {
                    "id": citation.id,
                    "source": citation.source_id,
                    "source_title": citation.source.title,
                    "source_publisher": citation.source.publisher,
                    "source_url": citation.source.url,
                    "source_reliability": citation.source.reliability,
                    "locator": citation.locator,
                    "confidence": citation.confidence,
                }
                for citation in entry.citations
            ],
        }

    def _url_template(self, kind: str) -> str:
        templates = self.__dict__.setdefault("_url_templates", {})
        if kind not in templates:
            templates[kind] = reverse(ENTRY_ROUTES[kind], args=[URL_PLACEHOLDER], request=self.context.get("request"))
        return templates[kind]
