"""The export page: a profile (full, partner, public), a format and the cases list's filters."""

from __future__ import annotations

import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.generic import TemplateView

from casework.filtersets import CaseFilterSet
from casework.forms import style_filter_form
from casework.models import Case
from casework.view_log import export_record
from core.history import Channel
from exchange import exports
from exchange.models import ExportProfile, ExportState, PreparedExport

CONTROL_FIELDS = ("profile", "format", "layout", "csrfmiddlewaretoken")


BUILT_IN_CHOICES = [
    ("public", "public: redacted, pseudonyms, no free text"),
    ("partner", "partner: names and statuses, no notes, no sensitive details"),
    ("full", "full: everything you may see (a download that expires)"),
]


def _profile_choices():
    saved = [(p.name, f"{p.name}: a partner profile") for p in ExportProfile.objects.only("name")]
    return [*BUILT_IN_CHOICES, *saved]


class ExportForm(forms.Form):
    profile = forms.ChoiceField(choices=_profile_choices)
    format = forms.ChoiceField(choices=[("xlsx", "XLSX"), ("csv", "CSV"), ("json", "JSON")])
    layout = forms.ChoiceField(
        choices=[("workbook", "one file (a sheet or key per kind of record)"), ("files", "a zip, one file per kind")]
    )


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
        filterset = CaseFilterSet(_filters(self.request.GET) or None, queryset=Case.objects.none())
        style_filter_form(filterset.form)
        prepared = PreparedExport.objects.select_related("requested_by", "approved_by")
        if user.has_perm(exports.FULL_PERMISSION):
            prepared = prepared.filter(Q(requested_by=user) | Q(state=ExportState.PENDING))[:20]
        else:
            prepared = prepared.filter(requested_by=user)[:20]
        kwargs.setdefault("form", ExportForm(initial={"profile": "public", "format": "xlsx", "layout": "workbook"}))
        return super().get_context_data(filter_form=filterset.form, prepared=prepared, **kwargs)

    def post(self, request):
        form = ExportForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        profile, fmt, layout = (form.cleaned_data[k] for k in ("profile", "format", "layout"))
        params = _filters(request.POST)
        try:
            if profile == "full":
                prepared = exports.export_full_request(user=request.user, fmt=fmt, layout=layout, params=params,
                                                       request=request)  # fmt: skip
                if prepared.state == ExportState.QUEUED:
                    messages.success(
                        request, gettext("A worker is writing the full export: it appears below, ready, soon.")
                    )
                else:
                    messages.success(request, gettext("Asked: another data manager must approve this full export."))
                return redirect("export")
            out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
            rows, sha256 = exports.export_to_file(user=request.user, profile=profile, fmt=fmt, layout=layout,
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
        prepared = get_object_or_404(PreparedExport, pk=pk)
        try:
            exports.export_approve(prepared=prepared, user=request.user, request=request)
            messages.success(
                request,
                gettext("Approved: a worker writes it, then %(who)s downloads it.") % {"who": prepared.requested_by},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("export")


class ExportDownloadView(ExportPermissionMixin, TemplateView):
    def get(self, request, pk):
        prepared = get_object_or_404(PreparedExport, pk=pk)
        try:
            handle = exports.prepared_download(prepared=prepared, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("export")
        fmt, layout = prepared.format.split(":")
        name, content_type = exports.filename_for(profile=prepared.profile, fmt=fmt, layout=layout)
        return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
