"""The case page's quick actions that cite a source: a request's update, a government's
position. Each goes through the same service as admin and API, so history records it
with channel "dashboard"."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.selectors import case_request
from casework.services import position_record, request_update_status
from casework.views.actions import CaseFormAction
from dashboard.forms import PositionForm, RequestUpdateForm


class RequestUpdateView(CaseFormAction):
    permission_required = "casework.add_requestupdate"
    action_name = _("record a request update")
    form_class = RequestUpdateForm

    def get_stated_request(self):
        if not hasattr(self, "stated_request"):
            self.stated_request = case_request(case=self.case, user=self.request.user, pk=self.kwargs["request_id"])
        return self.stated_request

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "stated_request": self.get_stated_request()}

    def get_context_data(self, **kwargs):
        stated_request = self.get_stated_request()
        return super().get_context_data(
            title=f"Update: {stated_request.person.display_name} — {stated_request.summary}",
            intro=f"Now {stated_request.get_status_display()}.",
            **kwargs,
        )

    def perform(self, form) -> str:
        stated_request = self.get_stated_request()
        update = request_update_status(request=stated_request, **form.service_data(), user=self.request.user)
        self.anchor = f"request_update-{update.pk}"
        return gettext("Recorded for %(person)s: %(request)s — %(status)s (%(when)s).") % {
            "person": stated_request.person.display_name,
            "request": stated_request.summary,
            "status": update.get_status_display(),
            "when": update.occurred,
        }


class PositionCreateView(CaseFormAction):
    permission_required = "casework.add_positionstatement"
    action_name = _("record a government's position")
    form_class = PositionForm

    def get_initial(self):
        return {key: self.request.GET[key] for key in ("involvement", "request") if self.request.GET.get(key)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "case": self.case}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Record a government's position"), **kwargs)

    def perform(self, form) -> str:
        statement = position_record(**form.service_data(), user=self.request.user)
        self.anchor = f"position-{statement.pk}"
        parts = {
            "government": statement.involvement.government,
            "stance": statement.get_stance_display(),
            "when": statement.stated,
        }
        if statement.request_id:
            return gettext("Recorded: %(government)s on %(person)s's %(request)s — %(stance)s (%(when)s).") % {
                **parts,
                "person": statement.request.person.display_name,
                "request": statement.request.summary,
            }
        return gettext("Recorded: %(government)s on the case as a whole — %(stance)s (%(when)s).") % parts
