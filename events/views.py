"""Dashboard pages of the timeline: the quick action that adds an event with its source."""

from __future__ import annotations

from casework.views.actions import CaseFormAction
from events.forms import EventForm
from events.services import event_record


class EventCreateView(CaseFormAction):
    """Add an event to a case's timeline, citing an existing or a new source,
    through ``events.services.event_record``."""

    permission_required = "events.add_event"
    action_name = "add an event"
    form_class = EventForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "case": self.case}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Add an event", **kwargs)

    def perform(self, form) -> str:
        data = form.cleaned_data
        event = event_record(
            case=self.case,
            kind=data["kind"],
            title=data["title"],
            occurred_on=data["occurred_on"],
            occurred_on_precision=data["occurred_on_precision"],
            description=data["description"],
            place=data["place"],
            country=data["country"],
            sensitivity=data["sensitivity"],
            people=data["people"],
            governments=data["governments"],
            sources=form.cited_sources(form.resolve_source()),
        )
        self.anchor = f"event-{event.pk}"
        return f"Event added: {event.occurred} — {event.title}."
