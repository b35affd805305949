"""Dashboard pages of evidence: a case's files (upload by drag and drop), a
file's page (what it carries, its derived copies, the redaction tool), downloads.

Every page starts from the visible case (404 otherwise) and the visible file
(404 otherwise: a hidden file's name, size and hash are never shown).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from casework.views.common import CaseActionMixin, visible_case
from core.access import sees_sensitive
from core.history import Channel
from evidence import selectors, services
from evidence.forms import DerivativeForm, RedactForm, UploadForm
from evidence.images import LABELS, image_size
from evidence.storage import evidence_storage, human_size

#: shown in the page rather than downloaded (never HTML, SVG or PDF: nothing that runs)
SAFE_INLINE = {"image/jpeg", "image/png", "image/gif", "image/webp", "text/plain"}
SANDBOX = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def serve_blob(blob, filename: str, *, inline: bool) -> FileResponse:
    """The bytes of ``blob`` as a response no browser will run: an attachment unless
    a safe inline type, ``nosniff``, and a sandboxing CSP."""
    stored = evidence_storage().open(blob.storage_name, "rb")
    shown = inline and blob.media_type in SAFE_INLINE
    content_type = f"{blob.media_type}; charset=utf-8" if blob.media_type == "text/plain" else blob.media_type
    response = FileResponse(stored, as_attachment=not shown, filename=filename, content_type=content_type)
    response["Content-Length"] = str(blob.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def described(metadata: dict, *, values: bool) -> list[tuple[str, str]]:
    """What a file carries, as (label, value); without values for those who may not see them."""
    return [(LABELS.get(key, key), value if values else "present (hidden from you)") for key, value in metadata.items()]


class CaseFilesView(LoginRequiredMixin, TemplateView):
    """A case's files with their derived copies, and the upload drop zone."""

    template_name = "evidence/case_files.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        case = visible_case(user, self.kwargs["reference"])
        can_upload = user.has_perm("evidence.add_evidencefile")
        return super().get_context_data(
            case=case,
            files=selectors.case_files(case=case, user=user),
            form=UploadForm(case=case, user=user) if can_upload else None,
            can_upload=can_upload,
            can_report=user.has_perm("evidence.report_custody"),
            **kwargs,
        )


def _result(uploaded: services.Uploaded, user) -> dict:
    item, blob = uploaded.file, uploaded.file.blob
    return {
        "name": item.original_name,
        "url": item.get_absolute_url(),
        "sha256": blob.sha256,
        "size": blob.size,
        "size_display": human_size(blob.size),
        "media_type": blob.media_type,
        "duplicate": uploaded.duplicate,
        "carries": described(blob.metadata, values=sees_sensitive(user)),
        "stripped": bool(uploaded.stripped),
        "notes": uploaded.notes,
    }


class FileUploadView(CaseActionMixin, View):
    """POST one or several files (the drop zone sends them one request each, with
    progress; the form without JavaScript sends them all). JSON for the drop zone."""

    permission_required = "evidence.add_evidencefile"
    action_name = "add files"

    def post(self, request, reference):
        wants_json = "application/json" in request.headers.get("Accept", "")
        form = UploadForm(request.POST, request.FILES, case=self.case, user=request.user)
        if not form.is_valid():
            if wants_json:
                return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
            for field, errors in form.errors.items():
                messages.error(request, f"{field}: {' '.join(errors)}")
            return redirect("evidence:case_files", self.case.reference)
        data, results, errors = form.cleaned_data, [], {}
        for upload in data["files"]:
            try:
                with transaction.atomic():  # each file on its own: one refused leaves the others stored
                    uploaded = services.file_upload(
                        user=request.user,
                        case=self.case,
                        stream=upload,
                        name=upload.name,
                        channel=Channel.DASHBOARD,
                        source=data["source"],
                        sensitive=data["sensitive"],
                        description=data["description"],
                        links=services.Links(events=data["events"], people=data["people"]),
                    )
                results.append(_result(uploaded, request.user))
            except ValidationError as error:
                errors[upload.name] = error.messages
        if wants_json:
            return JsonResponse({"files": results, "errors": errors}, status=200 if results else 400)
        for result in results:
            messages.success(
                request,
                gettext("Received %(name)s (SHA-256 %(sha256)s).")
                % {"name": result["name"], "sha256": result["sha256"]},
            )
        for name, problems in errors.items():
            messages.error(request, f"{name}: {' '.join(problems)}")
        return redirect("evidence:case_files", self.case.reference)


class FileDetailView(LoginRequiredMixin, TemplateView):
    """A file: its SHA-256, type, size, who sent it and how, what it carries
    (EXIF), the records it supports, its derived copies, and the redaction tool."""

    template_name = "evidence/file_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        case = visible_case(user, self.kwargs["reference"])
        item = selectors.file_in_case(case=case, user=user, file_id=self.kwargs["file_id"])
        can_derive = user.has_perm("evidence.add_evidencefile")
        size = None
        if item.blob.is_image and can_derive:
            with evidence_storage().open(item.blob.storage_name, "rb") as stored:
                size = image_size(stored)
        return super().get_context_data(
            case=case,
            file=item,
            chain=selectors.file_chain(file=item, user=user),
            links=selectors.file_links(file=item, user=user),
            carries=described(item.blob.metadata, values=sees_sensitive(user)),
            size_display=human_size(item.blob.size),
            derive_form=DerivativeForm() if can_derive else None,
            redact_form=RedactForm() if can_derive and size else None,
            image_size=size,
            previewable=item.blob.media_type in SAFE_INLINE and item.blob.is_image,
            **kwargs,
        )


class FileDownloadView(LoginRequiredMixin, View):
    """The file's bytes, after the access check, logged. A photo carrying metadata
    comes stripped to those who may not see sensitive details."""

    def get(self, request, reference, file_id):
        case = visible_case(request.user, reference)
        item = selectors.file_in_case(case=case, user=request.user, file_id=file_id)
        try:
            blob, variant = services.download_choice(
                file=item, user=request.user, variant=request.GET.get("variant", "")
            )
        except ValidationError as error:
            return JsonResponse({"errors": error.message_dict}, status=400)
        services.file_download_record(
            user=request.user, file=item, blob=blob, variant=variant, request=request, channel=Channel.DASHBOARD
        )
        return serve_blob(blob, item.original_name, inline=request.GET.get("inline") == "1")


class DerivativeCreateView(CaseActionMixin, View):
    permission_required = "evidence.add_evidencefile"
    action_name = "add a derived copy"

    def post(self, request, reference, file_id):
        item = selectors.file_in_case(case=self.case, user=request.user, file_id=file_id)
        form = DerivativeForm(request.POST, request.FILES)
        if not form.is_valid():
            for field, errors in form.errors.items():
                messages.error(request, f"{field}: {' '.join(errors)}")
            return redirect(item.get_absolute_url())
        data = form.cleaned_data
        try:
            with transaction.atomic():
                copy = services.derivative_upload(
                    user=request.user,
                    original=item,
                    stream=data["file"],
                    name=data["file"].name,
                    derivation=data["derivation"],
                    note=data["note"],
                    channel=Channel.DASHBOARD,
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(item.get_absolute_url())
        messages.success(
            request, gettext("Derived copy added: %(derivation)s.") % {"derivation": copy.get_derivation_display()}
        )
        return redirect(copy.get_absolute_url())


class RedactView(CaseActionMixin, View):
    """Black out rectangles of an image: a redacted derived copy (the original stays)."""

    permission_required = "evidence.add_evidencefile"
    action_name = "redact a file"

    def post(self, request, reference, file_id):
        item = selectors.file_in_case(case=self.case, user=request.user, file_id=file_id)
        form = RedactForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(item.get_absolute_url())
        try:
            with transaction.atomic():
                copy = services.image_redact(
                    user=request.user, original=item, **form.cleaned_data, channel=Channel.DASHBOARD
                )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(item.get_absolute_url())
        messages.success(request, gettext("Redacted copy made; the original is unchanged."))
        return redirect(copy.get_absolute_url())
