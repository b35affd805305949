"""Evidence's API serializers: a file as the reader may see it, and an upload."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.models import Case, Intervention, StatedRequest
from core.access import sees_sensitive
from core.api.serializers import VigilModelSerializer, VisiblePrimaryKeyRelatedField
from events.models import Event, Source
from evidence.choices import Derivation
from evidence.images import LABELS
from evidence.models import EvidenceFile
from people.models import Person


class FileSerializer(VigilModelSerializer):
    """An evidence file: its receipt (who, when, through what, under which name),
    its bytes (SHA-256, size, type from content), the records it supports and
    where it comes from when it is a derived copy. Only ``description``,
    ``sensitive`` and ``source`` change; the file itself never does."""

    sha256 = serializers.CharField(source="blob.sha256", read_only=True)
    size = serializers.IntegerField(source="blob.size", read_only=True)
    media_type = serializers.CharField(source="blob.media_type", read_only=True)
    carries = serializers.SerializerMethodField(
        help_text=_("Metadata the file carries (values only for sensitive access).")
    )
    events = serializers.SerializerMethodField()
    people = serializers.SerializerMethodField()
    requests = serializers.SerializerMethodField()
    interventions = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = (
            "id", "url", "case", "source", "original_name", "description", "sensitive",
            "sha256", "size", "media_type", "carries", "uploaded_by", "created_at", "channel",
            "derived_from", "original", "derivation", "derivation_note",
            "events", "people", "requests", "interventions", "download", "version",
        )  # fmt: skip
        read_only_fields = (
            "case", "original_name", "uploaded_by", "channel", "derived_from", "original", "derivation",
            "derivation_note", "version",
        )  # fmt: skip
        url_name = "api-file-detail"

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_carries(self, obj) -> dict:
        shown = sees_sensitive(self.user)
        return {LABELS.get(key, key): value if shown else "present" for key, value in obj.blob.metadata.items()}

    def _linked(self, obj, name) -> list[int]:
        return sorted(getattr(link, f"{name}_id") for link in obj.links.all() if getattr(link, f"{name}_id"))

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_events(self, obj) -> list[int]:
        return self._linked(obj, "event")

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_people(self, obj) -> list[int]:
        return self._linked(obj, "person")

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_requests(self, obj) -> list[int]:
        return self._linked(obj, "request")

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_interventions(self, obj) -> list[int]:
        return self._linked(obj, "intervention")

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, obj) -> str:
        request = self.context.get("request")
        path = reverse("api-file-download", args=[obj.pk])
        return request.build_absolute_uri(path) if request else path


def _ids(model, help_text: str):
    return serializers.ListField(
        child=VisiblePrimaryKeyRelatedField(queryset=model.objects.all()),
        required=False,
        default=list,
        help_text=help_text,
    )


class FileUploadSerializer(serializers.Serializer):
    """``multipart/form-data``: the file and what it is for. With ``derived_from``
    it is a derived copy of that file (say what was done in ``derivation`` and
    ``derivation_note``)."""

    file = serializers.FileField(
        help_text=_("The file. At most EVIDENCE_MAX_FILE_BYTES; types from EVIDENCE_ALLOWED_TYPES.")
    )
    case = VisiblePrimaryKeyRelatedField(queryset=Case.objects.all(), required=False)
    source = VisiblePrimaryKeyRelatedField(queryset=Source.objects.all(), required=False, allow_null=True)
    sensitive = serializers.BooleanField(required=False, default=False)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    events = _ids(Event, "Events the file supports (ids, in its case).")
    people = _ids(Person, "People it shows (ids, in its case).")
    requests = _ids(StatedRequest, "Requests it supports (ids, in its case).")
    interventions = _ids(Intervention, "Interventions it supports (ids, in its case).")
    derived_from = VisiblePrimaryKeyRelatedField(queryset=EvidenceFile.objects.all(), required=False, allow_null=True)
    derivation = serializers.ChoiceField(choices=Derivation.choices, required=False)
    derivation_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate(self, attrs):
        if attrs.get("derived_from") is None and attrs.get("case") is None:
            raise serializers.ValidationError({"case": gettext("Name the case the file is for (or derived_from).")})
        if attrs.get("derived_from") is not None and not attrs.get("derivation"):
            raise serializers.ValidationError({"derivation": gettext("Say what kind of derived copy this is.")})
        return attrs


class UploadSessionSerializer(serializers.Serializer):
    """Start a resumable upload: what the file will be, before its bytes."""

    name = serializers.CharField(max_length=255)
    size = serializers.IntegerField(min_value=1)
    case = VisiblePrimaryKeyRelatedField(queryset=Case.objects.all())
    source = VisiblePrimaryKeyRelatedField(queryset=Source.objects.all(), required=False, allow_null=True)
    sensitive = serializers.BooleanField(required=False, default=False)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
