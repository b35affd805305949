"""A case's timeline: its events, request updates, position statements and
interventions, merged in date order, each with its sources.

One selector, used by the API (``cases/{id}/timeline/``) and the case page,
so both show the same story. It makes a fixed number of queries whatever the
number of entries (one per kind, one per kind's citations).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Model, Prefetch

from casework.models import Case, Intervention, PositionStatement, RequestUpdate
from core.dates import FuzzyDate
from events.models import Citation, Event


class EntryKind:
    EVENT = "event"
    REQUEST_UPDATE = "request_update"
    POSITION = "position"
    INTERVENTION = "intervention"
    ORDER = {EVENT: 0, REQUEST_UPDATE: 1, POSITION: 2, INTERVENTION: 3}


@dataclass
class TimelineEntry:
    kind: str
    id: int
    date: FuzzyDate
    title: str
    description: str
    subkind: str  # the event's kind, the update's new status, the stance, the intervention's kind
    sensitive: bool
    obj: Model
    citations: list[Citation] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple:
        return (*self.date.sort_key, EntryKind.ORDER[self.kind], self.id)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"


def _citations(name: str, user) -> Prefetch:
    """The sources of each entry: those the user may see (not a source in the bin)."""
    return Prefetch(name, queryset=Citation.objects.visible_to(user).select_related("source").order_by("id"))


def _events(case: Case, user) -> list[TimelineEntry]:
    events = Event.objects.visible_to(user).filter(case=case).prefetch_related(_citations("citations", user))
    return [
        TimelineEntry(
            kind=EntryKind.EVENT,
            id=event.pk,
            date=event.occurred,
            title=event.title,
            description=event.description,
            subkind=event.kind,
            sensitive=event.is_sensitive,
            obj=event,
            citations=list(event.citations.all()),
        )
        for event in events
    ]


def _request_updates(case: Case, user) -> list[TimelineEntry]:
    updates = (
        RequestUpdate.objects.visible_to(user)
        .filter(request__case=case)
        .select_related("request__person", "source", "recorded_by")
        .prefetch_related(_citations("citations", user))
    )
    entries = []
    for update in updates:
        request = update.request
        verb = "reaffirmed" if update.is_reaffirmation else update.get_status_display()
        entries.append(
            TimelineEntry(
                kind=EntryKind.REQUEST_UPDATE,
                id=update.pk,
                date=update.occurred,
                title=f"{request.person.display_name}: {request.summary} — {verb}",
                description=update.note,
                subkind=update.status,
                sensitive=False,
                obj=update,
                citations=list(update.citations.all()),
            )
        )
    return entries


def _positions(case: Case, user) -> list[TimelineEntry]:
    statements = (
        PositionStatement.objects.visible_to(user)
        .filter(involvement__case=case)
        .select_related("involvement__government", "request", "source")
        .prefetch_related(_citations("citations", user))
    )
    entries = []
    for statement in statements:
        on = f" on {statement.request.summary}" if statement.request_id else ""
        entries.append(
            TimelineEntry(
                kind=EntryKind.POSITION,
                id=statement.pk,
                date=statement.stated,
                title=f"{statement.involvement.government}{on}: {statement.get_stance_display()}",
                description=statement.condition or statement.statement_translation or statement.statement_original,
                subkind=statement.stance,
                sensitive=False,
                obj=statement,
                citations=list(statement.citations.all()),
            )
        )
    return entries


def _interventions(case: Case, user) -> list[TimelineEntry]:
    interventions = Intervention.objects.visible_to(user).filter(case=case).select_related("government")
    return [
        TimelineEntry(
            kind=EntryKind.INTERVENTION,
            id=item.pk,
            date=item.occurred,
            title=f"We: {item}",
            description=item.asked,
            subkind=item.kind,
            sensitive=False,
            obj=item,
        )
        for item in interventions
    ]


def case_timeline(case: Case, *, user) -> list[TimelineEntry]:
    """Every entry of ``case``'s timeline the user may see, oldest first
    (unknown dates last). The caller has already checked that the user may
    see the case (``Case.objects.visible_to(user)``)."""
    # Each kind through visible_to(user): nothing of a request in the bin, no sensitive event
    # for those not allowed.
    entries = [
        *_events(case, user),
        *_request_updates(case, user),
        *_positions(case, user),
        *_interventions(case, user),
    ]
    entries.sort(key=lambda entry: entry.sort_key)
    return entries
