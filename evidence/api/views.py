"""Evidence's API: files (list, read, upload as multipart, download), and
resumable uploads in chunks for large files."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import BaseParser, FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.serializers import drf_error
from core.api.views import VigilViewSet, VisibleRowsMixin
from core.history import Channel
from evidence import filtersets, services
from evidence.api import serializers
from evidence.models import EvidenceFile, FileLink, UploadSession
from evidence.storage import CHUNK, too_large_message
from evidence.views.files import serve_blob


class RawBytesParser(BaseParser):
    """A chunk of a resumable upload: the body as it is (read in pieces, never whole)."""

    media_type = "application/octet-stream"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream


def _links(data) -> services.Links:
    return services.Links(
        events=data.get("events", []),
        people=data.get("people", []),
        requests=data.get("requests", []),
        interventions=data.get("interventions", []),
    )


class FileViewSet(VigilViewSet):
    api_description = _(
        "Evidence files of the cases the user may see. POST ``multipart/form-data`` to upload one (``file``, "
        "``case``, and what it supports); with ``derived_from`` it is a derived copy. "
        "``files/{id}/download/`` serves the bytes (logged; a photo carrying metadata comes stripped to those "
        "without sensitive access). DELETE moves a file to the bin."
    )

    queryset = EvidenceFile.objects.select_related("blob")
    serializer_class = serializers.FileSerializer
    filterset_class = filtersets.FileFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["created_at", "original_name"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related(Prefetch("links", FileLink.objects.all()))

    @extend_schema(request=serializers.FileUploadSerializer, responses={201: serializers.FileSerializer})
    def create(self, request, *args, **kwargs):
        upload = serializers.FileUploadSerializer(data=request.data, context=self.get_serializer_context())
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        try:
            if data.get("derived_from") is not None:
                created = services.derivative_upload(
                    user=request.user,
                    original=data["derived_from"],
                    stream=data["file"],
                    name=data["file"].name,
                    derivation=data["derivation"],
                    note=data["derivation_note"],
                    channel=Channel.API,
                )
            else:
                created = services.file_upload(
                    user=request.user,
                    case=data["case"],
                    stream=data["file"],
                    name=data["file"].name,
                    channel=Channel.API,
                    source=data.get("source"),
                    sensitive=data["sensitive"],
                    description=data["description"],
                    links=_links(data),
                ).file
        except ValidationError as error:
            return _refusal(error)
        created = self.get_queryset().get(pk=created.pk)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("variant", OpenApiTypes.STR, enum=["original", "stripped"], required=False)],
        responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description=_("The bytes, as a download."))},
    )
    @action(detail=True, methods=["get"], url_path="download", url_name="download")
    def download(self, request, pk=None):
        item = self.get_object()
        try:
            blob, variant = services.download_choice(
                file=item, user=request.user, variant=request.GET.get("variant", "")
            )
        except ValidationError as error:
            return Response(drf_error(error).detail, status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        services.file_download_record(
            user=request.user, file=item, blob=blob, variant=variant, request=request, channel=Channel.API
        )
        return serve_blob(blob, item.original_name, inline=False)


def _refusal(error: ValidationError) -> Response:
    """400 field by field; a file too large 413, of a refused type 415 (with ``detail`` too)."""
    code, body = _status(error), dict(drf_error(error).detail)
    if code != status.HTTP_400_BAD_REQUEST:
        body = {"detail": " ".join(error.messages), **body}
    return Response(body, status=code)


def _status(error: ValidationError) -> int:
    groups = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    codes = {problem.code for problems in groups for problem in problems}
    if "too_large" in codes:
        return status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    if "type_refused" in codes:
        return status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    return status.HTTP_400_BAD_REQUEST


class UploadViewSet(VisibleRowsMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    api_description = _(
        'Resumable uploads for large files. POST ``{"name", "size", "case", ...}`` starts one; PUT its bytes '
        "to ``uploads/{id}/chunks/`` in order, each chunk (at most EVIDENCE_CHUNK_MAX_BYTES) with "
        "``Upload-Offset`` (bytes sent before it); GET ``uploads/{id}/`` says how much arrived, to resume "
        "after a cut. The last chunk makes the file (201, the file)."
    )

    queryset = UploadSession.objects.all()
    serializer_class = serializers.UploadSessionSerializer

    def _answer(self, session: UploadSession) -> dict:
        return {
            "id": str(session.pk),
            "name": session.name,
            "size": session.size,
            "received": session.received,
            "file": session.file_id,
        }

    @extend_schema(responses={201: OpenApiResponse(description=_("The upload: id, size, received (0)."))})
    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("evidence.add_evidencefile"):
            raise PermissionDenied(gettext("You may not add files."))
        start = self.get_serializer(data=request.data)
        start.is_valid(raise_exception=True)
        data = start.validated_data
        if data["size"] > settings.EVIDENCE_MAX_FILE_BYTES:
            message = too_large_message(settings.EVIDENCE_MAX_FILE_BYTES)
            return Response({"detail": message, "size": [message]}, status=413)
        session = UploadSession.objects.create(user=request.user, **data)
        settings.EVIDENCE_UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
        session.part_path.write_bytes(b"")
        return Response(self._answer(session), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: OpenApiResponse(description=_("The upload: id, size, received."))})
    def retrieve(self, request, *args, **kwargs):
        return Response(self._answer(self.get_object()))

    @extend_schema(
        request={"application/octet-stream": OpenApiTypes.BINARY},
        parameters=[OpenApiParameter("Upload-Offset", OpenApiTypes.INT, OpenApiParameter.HEADER, required=True)],
        responses={
            200: OpenApiResponse(description=_("More expected: received so far.")),
            201: serializers.FileSerializer,
            409: OpenApiResponse(description=_("The offset is not what arrived so far: resume from `received`.")),
        },
    )
    @action(detail=True, methods=["put"], url_path="chunks", parser_classes=[RawBytesParser])
    def chunks(self, request, pk=None):
        if not request.user.has_perm("evidence.add_evidencefile"):
            raise PermissionDenied(gettext("You may not add files."))
        session = UploadSession.objects.select_for_update().get(pk=self.get_object().pk)
        if session.file_id:
            return Response({"detail": gettext("This upload is complete."), **self._answer(session)}, status=409)
        try:
            offset = int(request.headers.get("Upload-Offset", ""))
        except ValueError:
            return Response({"Upload-Offset": ["Send the offset of this chunk (a whole number of bytes)."]}, status=400)
        if offset != session.received:
            return Response({"detail": f"Resume from byte {session.received}.", **self._answer(session)}, status=409)
        stream = request.data
        written = 0
        with session.part_path.open("r+b") as part:
            part.truncate(offset)
            part.seek(offset)
            while piece := stream.read(CHUNK):
                written += len(piece)
                if written > settings.EVIDENCE_CHUNK_MAX_BYTES or offset + written > session.size:
                    part.truncate(offset)
                    return Response(
                        {"detail": gettext("This chunk is too large or goes past the declared size.")}, status=413
                    )
                part.write(piece)
        session.received = offset + written
        session.save(update_fields=["received"])
        if session.received < session.size:
            return Response(self._answer(session))
        return self._complete(request, session)

    def _complete(self, request, session: UploadSession):
        try:
            with transaction.atomic(), session.part_path.open("rb") as whole:
                created = services.file_upload(
                    user=request.user,
                    case=session.case,
                    stream=whole,
                    name=session.name,
                    channel=Channel.API,
                    source=session.source,
                    sensitive=session.sensitive,
                    description=session.description,
                ).file
        except ValidationError as error:
            session.part_path.unlink(missing_ok=True)
            session.delete()
            return _refusal(error)
        session.file = created
        session.save(update_fields=["file"])
        session.part_path.unlink(missing_ok=True)
        created = EvidenceFile.objects.select_related("blob").prefetch_related("links").get(pk=created.pk)
        context = {"request": request, "view": self}
        return Response(serializers.FileSerializer(created, context=context).data, status=status.HTTP_201_CREATED)
