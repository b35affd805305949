"""Quick actions on a case page. Each goes through the same service (or plain
create) as admin and API, so history records it with channel "dashboard"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from casework import selectors
from casework.forms import FollowUpForm, NoteForm
from casework.services import follow_up_complete, follow_up_record, note_record
from casework.views.common import CaseActionMixin
from core.forms import add_service_errors


class CaseFormAction(CaseActionMixin, FormView):
    """A form on its own page; on success, back to the case page at ``anchor``."""

    template_name = "casework/action_form.html"
    anchor = ""

    def get_success_url(self) -> str:
        return self.case.get_absolute_url() + (f"#{self.anchor}" if self.anchor else "")

    def form_valid(self, form):
        try:
            with transaction.atomic():
                message = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def perform(self, form) -> str:
        raise NotImplementedError


class NoteCreateView(CaseFormAction):
    permission_required = "casework.add_casenote"
    action_name = _("add a note")
    form_class = NoteForm
    anchor = "notes"

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Add a note"), **kwargs)

    def perform(self, form) -> str:
        note_record(case=self.case, **form.cleaned_data, user=self.request.user)
        return gettext("Note added.")


class FollowUpCreateView(CaseFormAction):
    permission_required = "casework.add_followup"
    action_name = _("add a follow-up")
    form_class = FollowUpForm
    anchor = "follow-ups"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "case": self.case}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Add a follow-up"), **kwargs)

    def perform(self, form) -> str:
        follow_up = follow_up_record(case=self.case, **form.cleaned_data, user=self.request.user)
        return gettext("Follow-up added: %(title)s.") % {"title": follow_up.title}


class FollowUpCompleteView(CaseActionMixin, View):
    """Mark a follow-up done (POST only)."""

    permission_required = "casework.change_followup"
    action_name = _("complete a follow-up")
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        follow_up = selectors.case_follow_up(case=self.case, user=request.user, pk=kwargs["follow_up_id"])
        if follow_up_complete(follow_up=follow_up, user=request.user):
            messages.success(request, gettext("Done: %(title)s.") % {"title": follow_up.title})
        return HttpResponseRedirect(self.case.get_absolute_url() + "#follow-ups")
