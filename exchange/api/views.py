"""The import API: upload a file with its mapping for a dry run, then commit or undo the batch.

Not a model viewset: a batch is not a record of a case but a data manager's
tool, so every call needs ``exchange.import_records`` (403 otherwise).
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from exchange import imports, selectors, services
from exchange.models import ImportBatch, ImportMode
from exchange.phrases import shown_report
from exchange.readers import FileProblem

#: Batches up to this many rows are committed inside the call; larger ones by a job (``202``).
INLINE_ROWS = 5000


class CanImport(BasePermission):
    message = _("Only a data manager imports records.")

    def has_permission(self, request, view):
        return request.user.has_perm(imports.PERMISSION)


class BatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = ("id", "filename", "sha256", "size", "state", "mode", "mapping_name", "mapping", "options",
                  "columns", "created_at", "committed_at", "rows_done", "dry_run_counts", "counts", "report",
                  "message")  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance):
        """The report's reasons, warnings and changes in the caller's language (exchange.phrases)."""
        data = super().to_representation(instance)
        if "report" in data:
            data["report"] = shown_report(data["report"])
        return data


UploadSerializer = inline_serializer(
    "ImportUpload",
    {
        "file": serializers.FileField(),
        "mapping": serializers.CharField(help_text=_("A saved mapping's name, or the mapping as JSON.")),
        "mode": serializers.ChoiceField(choices=ImportMode.choices, required=False),
        "confidentiality": serializers.CharField(required=False),
        "team": serializers.CharField(required=False, help_text=_("Usernames, comma-separated.")),
        "case": serializers.CharField(required=False),
        "encoding": serializers.CharField(required=False),
        "delimiter": serializers.CharField(required=False),
        "sheet": serializers.CharField(required=False),
    },
)


def _problem(error) -> Response:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    return Response({"detail": " ".join(messages)}, status=status.HTTP_400_BAD_REQUEST)


class ImportUploadView(APIView):
    api_description = _("``POST`` a CSV or XLSX file (multipart) with its mapping: the dry run of every row.")

    permission_classes = [IsAuthenticated, CanImport]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: BatchSerializer})
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"file": ["Send the file (multipart field “file”)."]}, status=400)
        mapping, name = _mapping(request.data.get("mapping", ""), user=request.user)
        if mapping is None:
            return Response({"mapping": ["A saved mapping's name, or a mapping as JSON."]}, status=400)
        data = request.data
        options = {key: data.get(key, "") for key in ("case", "encoding", "delimiter", "sheet")}
        options["confidentiality"] = data.get("confidentiality") or "normal"
        options["team"] = [u.strip() for u in data.get("team", "").split(",") if u.strip()]
        try:
            batch = services.import_check(
                user=request.user, file=upload, filename=upload.name, mapping_spec=mapping, mapping_name=name,
                options=options, mode=data.get("mode") or ImportMode.ALL,
            )  # fmt: skip
        except (FileProblem, ValidationError) as error:
            return _problem(error)
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)


def _mapping(value: str, *, user) -> tuple[dict | None, str]:
    saved = selectors.saved_mapping(user=user, name=value)
    if saved:
        return saved.spec, saved.name
    try:
        spec = json.loads(value)
    except ValueError:
        return None, ""
    return (spec, "") if isinstance(spec, dict) else (None, "")


class ImportBatchView(APIView):
    api_description = _("A batch: its dry run's report, its counts and its state.")

    permission_classes = [IsAuthenticated, CanImport]

    @extend_schema(responses={200: BatchSerializer})
    def get(self, request, pk):
        return Response(BatchSerializer(selectors.import_batch(user=request.user, pk=pk)).data)


class ImportCommitView(APIView):
    api_description = _(
        "``POST``: write the batch's rows (history channel ``import``): inside the call, or, for a batch over "
        "``INLINE_ROWS`` rows, by a job (``202``; the batch's ``rows_done`` moves)."
    )

    permission_classes = [IsAuthenticated, CanImport]
    parser_classes = [JSONParser]

    @extend_schema(request=None, responses={200: BatchSerializer, 202: BatchSerializer})
    def post(self, request, pk):
        batch = selectors.import_batch(user=request.user, pk=pk)
        if not batch.mapping:
            return Response({"detail": _("Check the batch with a mapping first.")}, status=400)
        try:
            if batch.dry_run_counts.get("rows", 0) > INLINE_ROWS:
                batch = services.import_enqueue(batch=batch, user=request.user)
                return Response(BatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)
            batch = services.import_commit(batch=batch, user=request.user)
        except (FileProblem, ValidationError) as error:
            return _problem(error)
        return Response(BatchSerializer(batch).data)


class ImportUndoView(APIView):
    api_description = _("``POST``: undo the batch (what it created goes to the bin).")

    permission_classes = [IsAuthenticated, CanImport]
    parser_classes = [JSONParser]

    @extend_schema(request=None, responses={200: BatchSerializer})
    def post(self, request, pk):
        batch = selectors.import_batch(user=request.user, pk=pk)
        try:
            batch = services.import_undo(batch=batch, user=request.user)
        except ValidationError as error:
            return _problem(error)
        return Response(BatchSerializer(batch).data)
