"""Dashboard pages of the timeline: the quick action that adds an event with its source."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from casework.views.actions import CaseFormAction
from casework.views.common import CaseActionMixin
from events.forms import DevelopmentForms, EventForm
from events.services import DevelopmentInvalid, development_record, event_record


class EventCreateView(CaseFormAction):
    """Add an event to a case's timeline, citing an existing or a new source,
    through ``events.services.event_record``."""

    permission_required = "events.add_event"
    action_name = "add an event"
    form_class = EventForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "case": self.case}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Add an event"), **kwargs)

    def perform(self, form) -> str:
        event = event_record(user=self.request.user, case=self.case, **form.service_data())
        self.anchor = f"event-{event.pk}"
        return gettext("Event added: %(when)s — %(title)s.") % {"when": event.occurred, "title": event.title}


#: The permission each part of a development needs.
PART_PERMISSIONS = {
    "event": "events.add_event",
    "position": "casework.add_positionstatement",
    "updates": "casework.add_requestupdate",
    "follow_up": "casework.add_followup",
}


class DevelopmentView(CaseActionMixin, TemplateView):
    """Record a development: one piece of news, its source, and what it changes (an
    event, a position on several requests, request updates, a follow-up), in one
    form and one transaction (``events.services.development_record``)."""

    template_name = "events/development_form.html"
    action_name = "record a development"

    def dispatch(self, request, *args, **kwargs):
        # The page needs one of the parts' permissions; each part filled in needs its own.
        self.permission_required = next(
            (perm for perm in PART_PERMISSIONS.values() if request.user.has_perm(perm)), PART_PERMISSIONS["event"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        forms = kwargs.pop("forms", None) or DevelopmentForms(case=self.case, user=self.request.user)
        return super().get_context_data(title=_("Record a development"), forms=forms, **kwargs)

    def post(self, request, *args, **kwargs):
        forms = DevelopmentForms(request.POST, case=self.case, user=request.user)
        if forms.is_valid():
            refused = [name for name in forms.filled() if not request.user.has_perm(PART_PERMISSIONS[name])]
            for name in refused:
                forms.parts[name].add_error(None, _("You may not record this part."))
            if not refused:
                try:
                    development = development_record(user=request.user, case=self.case, **forms.service_kwargs())
                except DevelopmentInvalid as error:
                    forms.add_service_errors(error.parts)
                else:
                    messages.success(request, development.describe())
                    anchor = f"#event-{development.event.pk}" if development.event else "#timeline"
                    return HttpResponseRedirect(self.case.get_absolute_url() + anchor)
        return self.render_to_response(self.get_context_data(forms=forms), status=400)
