"""The export API: ask for an export (a job writes it), follow it, download it until it expires.

``POST /api/v1/exports/`` answers ``202`` with the export's own link: a worker
writes the file (``exchange.run_export``), ``GET`` on the link says how far it
is and, once ready, where to download it. A full export waits for a second data
manager's approval when ``VIGIL_EXPORT_FULL_NEEDS_APPROVAL`` is on. An export is
its asker's: anyone else gets ``404`` (approvers see the pending ones). Partner
profiles a data manager saved are under ``/api/v1/exports/profiles/``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.history import Channel
from exchange import exports, selectors, services
from exchange.models import ExportProfile, ExportState, PreparedExport


class CanExport(BasePermission):
    message = _("You may not export.")

    def has_permission(self, request, view):
        return request.user.has_perm(exports.EXPORT_PERMISSION)


class PreparedExportSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()
    requested_by = serializers.CharField(source="requested_by.get_username", read_only=True)

    class Meta:
        model = PreparedExport
        fields = ("id", "url", "profile", "format", "filters", "state", "rows", "sha256", "requested_by",
                  "requested_at", "approved_at", "expires_at", "message", "download")  # fmt: skip
        read_only_fields = fields

    def _absolute(self, name: str, obj) -> str:
        path = reverse(name, args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, obj) -> str:
        return self._absolute("api-export-detail", obj)

    def get_download(self, obj) -> str | None:
        """The file's link, while it is ready and has not expired."""
        if obj.state != ExportState.READY or not obj.expires_at or obj.expires_at < datetime.datetime.now(datetime.UTC):
            return None
        return self._absolute("api-export-download", obj)


ExportAsk = inline_serializer(
    "ExportAsk",
    {
        "profile": serializers.CharField(help_text=_("full, partner, public, or a saved partner profile's name")),
        "format": serializers.ChoiceField(choices=exports.FORMATS, default="json"),
        "layout": serializers.ChoiceField(choices=exports.LAYOUTS, default="workbook"),
        "filters": serializers.DictField(
            child=serializers.CharField(), required=False, help_text=_('As the cases list\'s: {"status": "stalled"}')
        ),
    },
)


def _problem(error: ValidationError) -> Response:
    if hasattr(error, "message_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)


class ExportListView(APIView):
    api_description = _("``GET``: your exports, latest first. ``POST``: ask for one (``202``, a job writes it).")

    permission_classes = [IsAuthenticated, CanExport]
    parser_classes = [JSONParser]

    @extend_schema(responses={200: PreparedExportSerializer(many=True)})
    def get(self, request):
        filterset, rows = selectors.export_list(user=request.user, params=request.query_params, limit=50)
        if filterset.errors:
            return Response(filterset.errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(PreparedExportSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(request=ExportAsk, responses={202: PreparedExportSerializer})
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        problems = {}
        profile = data.get("profile")
        if not isinstance(profile, str) or not profile:
            problems["profile"] = [f"One of {', '.join(exports.profile_names())}."]
        fmt, layout = data.get("format", "json"), data.get("layout", "workbook")
        if fmt not in exports.FORMATS:
            problems["format"] = [f"One of {', '.join(exports.FORMATS)}."]
        if layout not in exports.LAYOUTS:
            problems["layout"] = [f"One of {', '.join(exports.LAYOUTS)}."]
        filters = data.get("filters") or {}
        if not isinstance(filters, dict) or not all(isinstance(v, (str, int)) for v in filters.values()):
            problems["filters"] = ['An object of the cases list\'s filters: {"status": "stalled"}.']
        if problems:
            return Response(problems, status=status.HTTP_400_BAD_REQUEST)
        params = QueryDict(mutable=True)
        for key, value in filters.items():
            params[str(key)] = str(value)
        try:
            prepared = services.export_request(user=request.user, profile=profile, fmt=fmt, layout=layout,
                                              params=params, channel=Channel.API)  # fmt: skip
        except ValidationError as error:
            return _problem(error)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        body = PreparedExportSerializer(prepared, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class ExportDetailView(APIView):
    api_description = _("An export: its state, how many rows are written, and its download link once ready.")

    permission_classes = [IsAuthenticated, CanExport]

    @extend_schema(responses={200: PreparedExportSerializer})
    def get(self, request, pk):
        prepared = selectors.visible_export(user=request.user, pk=pk)
        return Response(PreparedExportSerializer(prepared, context={"request": request}).data)


class ExportDownloadView(APIView):
    api_description = _("The file, for its asker, until it expires (``410`` after; ``409`` while not ready).")

    permission_classes = [IsAuthenticated, CanExport]

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk):
        prepared = selectors.visible_export(user=request.user, pk=pk, own=True)
        try:
            handle = services.prepared_download(prepared=prepared, user=request.user)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except ValidationError as error:
            gone = prepared.state == ExportState.READY
            code = status.HTTP_410_GONE if gone else status.HTTP_409_CONFLICT
            return Response({"detail": " ".join(error.messages)}, status=code)
        fmt, layout = prepared.format.split(":")
        name, content_type = exports.filename_for(profile=prepared.profile, fmt=fmt, layout=layout)
        return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


class ExportApproveView(APIView):
    api_description = _("``POST``: a second data manager approves a full export; a job then writes it.")

    permission_classes = [IsAuthenticated, CanExport]
    parser_classes = [JSONParser]

    @extend_schema(request=None, responses={200: PreparedExportSerializer})
    def post(self, request, pk):
        if not request.user.has_perm(exports.FULL_PERMISSION):
            raise Http404
        prepared = selectors.visible_export(user=request.user, pk=pk)
        try:
            prepared = services.export_approve(prepared=prepared, user=request.user)
        except ValidationError as error:
            return _problem(error)
        return Response(PreparedExportSerializer(prepared, context={"request": request}).data)


class ExportProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExportProfile
        fields = ("id", "name", "description", "fields", "updated_at")
        read_only_fields = ("id", "updated_at")


PROFILES_ANSWER = inline_serializer(
    "ExportProfiles", {"profiles": ExportProfileSerializer(many=True), "exportable": serializers.DictField()}
)


class ExportProfileListView(APIView):
    api_description = _(
        "``GET``: the saved partner profiles, and every field a profile may choose (from core/exposure/). "
        "``POST`` (data managers): save one; its fields are checked one by one."
    )

    permission_classes = [IsAuthenticated, CanExport]
    parser_classes = [JSONParser]

    @extend_schema(operation_id="exports_profiles_list", responses={200: PROFILES_ANSWER})
    def get(self, request):
        exportable = {table: list(exports.choosable_fields(table, user=request.user)) for table in exports.TABLES}
        profiles = ExportProfileSerializer(selectors.saved_profiles(user=request.user), many=True).data
        return Response({"profiles": profiles, "exportable": exportable})

    @extend_schema(request=ExportProfileSerializer, responses={201: ExportProfileSerializer})
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        try:
            profile = services.profile_save(user=request.user, name=data.get("name"), fields=data.get("fields"),
                                           description=str(data.get("description") or ""))  # fmt: skip
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except ValidationError as error:
            return _problem(error)
        return Response(ExportProfileSerializer(profile).data, status=status.HTTP_201_CREATED)


class ExportProfileDetailView(APIView):
    api_description = _("``PUT`` (data managers): change a saved profile; ``DELETE``: remove it.")

    permission_classes = [IsAuthenticated, CanExport]
    parser_classes = [JSONParser]

    @extend_schema(responses={200: ExportProfileSerializer})
    def get(self, request, pk):
        return Response(ExportProfileSerializer(selectors.saved_profile(user=request.user, pk=pk)).data)

    @extend_schema(request=ExportProfileSerializer, responses={200: ExportProfileSerializer})
    def put(self, request, pk):
        profile = selectors.saved_profile(user=request.user, pk=pk)
        data = request.data if isinstance(request.data, dict) else {}
        try:
            profile = services.profile_save(user=request.user, name=data.get("name"), fields=data.get("fields"),
                                           description=str(data.get("description") or ""), profile=profile)  # fmt: skip
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except ValidationError as error:
            return _problem(error)
        return Response(ExportProfileSerializer(profile).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        profile = selectors.saved_profile(user=request.user, pk=pk)
        try:
            services.profile_delete(user=request.user, profile=profile)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        return Response(status=status.HTTP_204_NO_CONTENT)
