"""The printable dossier of a case, safe to hand to a ministry.

Redacted by default: no sensitive field or sensitive event, no internal notes or
follow-ups. The full dossier (``?full=1``) adds the sensitive details, only for
users with ``people.view_sensitive``; it says CONFIDENTIAL on every page and each
full print is written to the view log. Laid out for paper: header and summary,
the people, their requests, the position matrix, then the timeline; absolute
dates as written; a footer with print date, printer, reference and page numbers
(CSS paged media, static/vigil/dossier.css).
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext
from django.views.generic import TemplateView

from casework import selectors
from casework.view_log import case_view_record
from casework.views.common import visible_case
from core.access import sees_sensitive
from core.history import Channel
from events.selectors import case_timeline


class CaseDossierView(LoginRequiredMixin, TemplateView):
    template_name = "casework/dossier.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        case = visible_case(user, self.kwargs["reference"])
        full = self.request.GET.get("full") == "1"
        if full and not sees_sensitive(user):
            raise PermissionDenied(
                gettext("The full dossier holds sensitive details: it needs the permission to see them.")
            )
        # Every full print is logged, whatever the case's confidentiality; a redacted one
        # as any view (core.middleware.ViewLogMiddleware: restricted cases only).
        if full:
            case_view_record(
                case=case, request=self.request, channel=Channel.DASHBOARD, what="dossier (full)", always=True
            )
        requests = selectors.case_requests(case=case, user=user)
        for request in requests:  # the latest movement as reported, with its precision ("Q4 2025")
            updates = list(request.updates.all())
            request.moved = updates[-1].occurred if updates else request.first_stated
        subjects = selectors.case_subjects(case=case, user=user, requests=requests)
        timeline = [
            entry for entry in case_timeline(case=case, user=user, translations=True) if full or not entry.sensitive
        ]
        return super().get_context_data(
            case=case,
            full=full,
            subjects=subjects,
            requests=requests,
            matrix=selectors.position_matrix(case=case, requests=requests),
            timeline=timeline,
            printed_at=timezone.localtime(),
            printed_by=user.get_full_name() or user.get_username(),
            **kwargs,
        )
