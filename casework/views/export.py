"""Exports for data managers: the cases list, with the same filters, as CSV.

Each export is logged (casework.view_log.export_record): who, when, from
where, which filters and how many rows, never the rows.
"""

from __future__ import annotations

import csv

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse
from django.views import View

from casework import selectors
from casework.filtersets import CaseFilterSet
from casework.view_log import export_record
from core.history import Channel

COLUMNS = ("reference", "title", "status", "priority", "confidentiality", "lead", "opened_on", "closed_on",
           "next_review_on", "tags")  # fmt: skip


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): text starting
    with = + - @ or a control character gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


class CaseExportView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "casework.export_cases"

    def get(self, request):
        cases = selectors.exported_cases(user=request.user)
        filterset = CaseFilterSet(request.GET or None, queryset=cases, request=request)
        if filterset.is_bound and not filterset.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
            return HttpResponse(f"These filters are not valid: {problems}", status=400, content_type="text/plain")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="vigil-cases.csv"'
        writer = csv.writer(response)
        writer.writerow(COLUMNS)
        rows = 0
        for case in filterset.qs.iterator(chunk_size=2000):
            lead = case.lead.get_username() if case.lead else ""
            values = [getattr(case, column) for column in COLUMNS]
            values[COLUMNS.index("lead")] = lead
            values[COLUMNS.index("tags")] = ", ".join(case.tags)
            writer.writerow([spreadsheet_safe(value) for value in values])
            rows += 1
        export_record(request=request, what="cases.csv", rows=rows, channel=Channel.DASHBOARD)
        return response
