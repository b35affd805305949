"""The chain of custody of a case's files: a printable report, and the same
report as a signed JSON manifest (zip: manifest, detached signature, public key,
how to verify). Case leads and data managers (``evidence.report_custody``)."""

from __future__ import annotations

import re

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.views import View
from django.views.generic import TemplateView

from casework.view_log import export_record
from casework.views.common import visible_case
from core.history import Channel
from evidence import selectors, signing
from evidence.packing import manifest_zip


def selected_ids(request) -> list[int] | None:
    """``?files=3,4``: a selection of files (the report covers their derived copies too)."""
    raw = request.GET.get("files", "")
    ids = [int(part) for part in re.findall(r"\d{1,12}", raw)]
    return ids or None


class CustodyReportView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "evidence.report_custody"
    template_name = "evidence/custody.html"

    def get_context_data(self, **kwargs):
        case = visible_case(self.request.user, self.kwargs["reference"])
        report = selectors.custody_report(case=case, user=self.request.user, file_ids=selected_ids(self.request))
        return super().get_context_data(case=case, report=report, query=self.request.GET.urlencode(), **kwargs)


class CustodyManifestView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The report as manifest.json, signed (Ed25519), in a zip with the public key; logged as an export."""

    permission_required = "evidence.report_custody"

    def get(self, request, reference):
        case = visible_case(request.user, reference)
        report = selectors.custody_report(case=case, user=request.user, file_ids=selected_ids(request))
        try:
            data = manifest_zip(report)
        except ImproperlyConfigured as error:
            return HttpResponse(str(error), status=503, content_type="text/plain")
        export_record(
            request=request, what=f"custody {case.reference}", rows=len(report["files"]), channel=Channel.DASHBOARD
        )
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="custody-{case.reference}.zip"'
        return response


class PublicKeyView(LoginRequiredMixin, View):
    """The key that checks this Vigil's custody manifests (PEM)."""

    def get(self, request):
        try:
            pem = signing.public_key_pem()
        except ImproperlyConfigured as error:
            return HttpResponse(str(error), status=503, content_type="text/plain")
        response = HttpResponse(pem, content_type="application/x-pem-file")
        response["Content-Disposition"] = 'attachment; filename="vigil-public-key.pem"'
        return response
