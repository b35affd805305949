"""The export page: a profile (full, partner, public), a format and the cases list's filters."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.generic import TemplateView

from casework.filtersets import CaseFilterSet
from casework.forms import style_filter_form
from casework.view_log import export_record
from core.history import Channel
from exchange import exports, selectors, services
from exchange.forms import ExportForm
from exchange.models import ExportState

CONTROL_FIELDS = ("profile", "format", "layout", "csrfmiddlewaretoken")


class ExportPermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = exports.EXPORT_PERMISSION  # signed out: to the sign-in page; signed in without it: 403


def _filters(data):
    params = data.copy()
    for name in CONTROL_FIELDS:
        params.pop(name, None)
    return params


class ExportView(ExportPermissionMixin, TemplateView):
    template_name = "exchange/export.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        # The cases list's filters, as a form only: the export reads the rows (exchange/exports/).
        filterset = CaseFilterSet(_filters(self.request.GET) or None)
        style_filter_form(filterset.form)
        # The list of exports has its own filters (exchange.filtersets), as ?exports-state=… beside the cases'.
        listed, prepared = selectors.export_list(user=user, params=self.request.GET, prefix="exports", limit=20)
        initial = {"profile": "public", "format": "xlsx", "layout": "workbook"}
        kwargs.setdefault("form", ExportForm(initial=initial, user=user))
        return super().get_context_data(
            filter_form=filterset.form, prepared=prepared, listed_form=listed.form, **kwargs
        )

    def post(self, request):
        form = ExportForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        profile, fmt, layout = (form.cleaned_data[k] for k in ("profile", "format", "layout"))
        params = _filters(request.POST)
        try:
            if profile == "full":
                prepared = services.export_full_request(user=request.user, fmt=fmt, layout=layout, params=params,
                                                       request=request)  # fmt: skip
                if prepared.state == ExportState.QUEUED:
                    messages.success(
                        request, gettext("A worker is writing the full export: it appears below, ready, soon.")
                    )
                else:
                    messages.success(request, gettext("Asked: another data manager must approve this full export."))
                return redirect("export")
            out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
            rows, sha256 = services.export_to_file(user=request.user, profile=profile, fmt=fmt, layout=layout,
                                                  params=params, out=out, request=request)  # fmt: skip
        except ValidationError as error:
            problems = getattr(error, "message_dict", {"": error.messages})
            text = "; ".join(f"{k}: {' '.join(v)}" if k else " ".join(v) for k, v in problems.items())
            return HttpResponse(
                gettext("This export cannot be made: %(problems)s") % {"problems": text},
                status=400,
                content_type="text/plain",
            )
        name, content_type = exports.filename_for(profile=profile, fmt=fmt, layout=layout)
        export_record(request=request, what=name, rows=rows, channel=Channel.DASHBOARD, profile=profile,
                      sha256=sha256, query=params.urlencode())  # fmt: skip
        return FileResponse(out, as_attachment=True, filename=name, content_type=content_type)


class ExportApproveView(ExportPermissionMixin, TemplateView):
    def post(self, request, pk):
        prepared = selectors.export_by_id(user=request.user, pk=pk)
        try:
            services.export_approve(prepared=prepared, user=request.user, request=request)
            messages.success(
                request,
                gettext("Approved: a worker writes it, then %(who)s downloads it.") % {"who": prepared.requested_by},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("export")


class ExportDownloadView(ExportPermissionMixin, TemplateView):
    def get(self, request, pk):
        prepared = selectors.export_by_id(user=request.user, pk=pk)
        try:
            handle = services.prepared_download(prepared=prepared, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("export")
        fmt, layout = prepared.format.split(":")
        name, content_type = exports.filename_for(profile=prepared.profile, fmt=fmt, layout=layout)
        return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
