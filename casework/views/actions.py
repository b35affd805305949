"""Quick actions on a case page. Each goes through the same service (or plain
create) as admin and API, so history records it with channel "dashboard"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from casework.forms import FollowUpForm, NoteForm, PositionForm, RequestUpdateForm
from casework.models import FollowUp, StatedRequest
from casework.services import position_record, request_update_status
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


class RequestUpdateView(CaseFormAction):
    permission_required = "casework.add_requestupdate"
    action_name = "record a request update"
    form_class = RequestUpdateForm

    def get_stated_request(self):
        if not hasattr(self, "stated_request"):
            requests = StatedRequest.objects.visible_to(self.request.user).filter(case=self.case)
            self.stated_request = get_object_or_404(requests.select_related("person"), pk=self.kwargs["request_id"])
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
        data = form.cleaned_data
        stated_request = self.get_stated_request()
        update = request_update_status(
            request=stated_request,
            status=data["status"],
            occurred_on=data["occurred_on"],
            occurred_on_precision=data["occurred_on_precision"],
            note=data["note"],
            source=form.resolve_source(),
            user=self.request.user,
        )
        self.anchor = f"request_update-{update.pk}"
        return gettext("Recorded for %(person)s: %(request)s — %(status)s (%(when)s).") % {
            "person": stated_request.person.display_name,
            "request": stated_request.summary,
            "status": update.get_status_display(),
            "when": update.occurred,
        }


class PositionCreateView(CaseFormAction):
    permission_required = "casework.add_positionstatement"
    action_name = "record a government's position"
    form_class = PositionForm

    def get_initial(self):
        return {key: self.request.GET[key] for key in ("involvement", "request") if self.request.GET.get(key)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "case": self.case}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Record a government's position"), **kwargs)

    def perform(self, form) -> str:
        data = form.cleaned_data
        statement = position_record(
            involvement=data["involvement"],
            request=data["request"],
            stance=data["stance"],
            stated_on=data["stated_on"],
            stated_on_precision=data["stated_on_precision"],
            condition=data["condition"],
            condition_request=data["condition_request"],
            statement_original=data["statement_original"],
            statement_language=data["statement_language"],
            statement_translation=data["statement_translation"],
            spoken_by=data["spoken_by"],
            source=form.resolve_source(),
            user=self.request.user,
        )
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


class NoteCreateView(CaseFormAction):
    permission_required = "casework.add_casenote"
    action_name = "add a note"
    form_class = NoteForm
    anchor = "notes"

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Add a note"), **kwargs)

    def perform(self, form) -> str:
        note = form.save(commit=False)
        note.case, note.author = self.case, self.request.user
        note.full_clean()
        note.save()
        return gettext("Note added.")


class FollowUpCreateView(CaseFormAction):
    permission_required = "casework.add_followup"
    action_name = "add a follow-up"
    form_class = FollowUpForm
    anchor = "follow-ups"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "case": self.case}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Add a follow-up"), **kwargs)

    def perform(self, form) -> str:
        follow_up = form.save(commit=False)
        follow_up.case = self.case
        follow_up.full_clean()
        follow_up.save()
        return gettext("Follow-up added: %(title)s.") % {"title": follow_up.title}


class FollowUpCompleteView(CaseActionMixin, View):
    """Mark a follow-up done (POST only)."""

    permission_required = "casework.change_followup"
    action_name = "complete a follow-up"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        follow_up = get_object_or_404(FollowUp.objects.filter(case=self.case), pk=kwargs["follow_up_id"])
        if follow_up.done_at is None:
            follow_up.done_at = timezone.now()
            follow_up.save(update_fields=["done_at", "updated_at"])
            messages.success(request, gettext("Done: %(title)s.") % {"title": follow_up.title})
        return HttpResponseRedirect(self.case.get_absolute_url() + "#follow-ups")
