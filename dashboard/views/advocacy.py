"""Quick actions on a case page for what the advocates did: an intervention (with
the legal argument made in it) and a legal argument for a request or an intervention.
Both go through casework/services.py, so history records them with channel "dashboard"."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.services import intervention_record, legal_argument_record
from casework.views.actions import CaseFormAction
from dashboard.forms import InterventionForm, LegalArgumentForm


class InterventionCreateView(CaseFormAction):
    permission_required = "casework.add_intervention"
    action_name = gettext_lazy("record an intervention")
    form_class = InterventionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "case": self.case}

    def get_initial(self):
        return {key: self.request.GET[key] for key in ("request",) if self.request.GET.get(key)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Record an intervention"), **kwargs)

    def perform(self, form) -> str:
        data = form.cleaned_data
        intervention = intervention_record(user=self.request.user, case=self.case, **form.service_data())
        self.anchor = f"intervention-{intervention.pk}"
        recorded = _("Recorded: %(intervention)s.") % {"intervention": intervention}
        if form.arguments():
            recorded += " " + _("Legal basis: %(basis)s.") % {"basis": data["basis"]}
        return recorded


class LegalArgumentCreateView(CaseFormAction):
    permission_required = "casework.add_legalargument"
    action_name = gettext_lazy("record a legal argument")
    form_class = LegalArgumentForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "case": self.case}

    def get_initial(self):
        return {key: self.request.GET[key] for key in ("request", "intervention") if self.request.GET.get(key)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Record a legal argument"), **kwargs)

    def perform(self, form) -> str:
        # The form's fields are exactly the service's arguments.
        argument = legal_argument_record(user=self.request.user, case=self.case, **form.cleaned_data)
        if argument.request_id:
            self.anchor = f"request-{argument.request_id}"
            about = f"{argument.request.person.display_name}: {argument.request.summary}"
        else:
            self.anchor = f"intervention-{argument.intervention_id}"
            about = str(argument.intervention)
        return _("Recorded: the legal argument “%(basis)s” for %(about)s.") % {"basis": argument.basis, "about": about}
