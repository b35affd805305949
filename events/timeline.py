"""A case's timeline: its events, request updates, position statements and
interventions, merged in date order, each with its sources.

One selector, used by the API (``cases/{id}/timeline/``) and the case page,
so both show the same story. It makes a fixed number of queries whatever the
number of entries: one per kind, and one for every entry's citations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Model, Q

from casework.models import Case, Intervention, PositionStatement, RequestUpdate
from core.dates import FuzzyDate
from events.models import Citation, Event


class EntryKind:
    EVENT = "event"
    REQUEST_UPDATE = "request_update"
    POSITION = "position"
    INTERVENTION = "intervention"
    ORDER = {EVENT: 0, REQUEST_UPDATE: 1, POSITION: 2, INTERVENTION: 3}
    LABELS = {
        EVENT: "Events",
        REQUEST_UPDATE: "Request updates",
        POSITION: "Government positions",
        INTERVENTION: "Our interventions",
    }


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
    def source(self):
        """The entry's direct source (request updates and positions have one), or None."""
        return (
            getattr(self.obj, "source", None) if self.kind in (EntryKind.REQUEST_UPDATE, EntryKind.POSITION) else None
        )

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"


#: The citation's link to each kind of entry that has sources.
CITED_BY = {"event_id": "event", "request_update_id": "request_update", "position_id": "position"}


def _attach_citations(entries: list[TimelineEntry], user) -> None:
    """The sources of every entry, in one query: those the user may see (not a source in the bin)."""
    ids = {kind: [entry.id for entry in entries if entry.kind == kind] for kind in CITED_BY.values()}
    wanted = Q(pk__in=[])
    for column, kind in CITED_BY.items():
        if ids[kind]:
            wanted |= Q(**{f"{column}__in": ids[kind]})
    if wanted == Q(pk__in=[]):
        return
    by_entry: dict[tuple[str, int], list[Citation]] = {}
    for citation in Citation.objects.visible_to(user).filter(wanted).select_related("source").order_by("id"):
        for column, kind in CITED_BY.items():
            if getattr(citation, column) is not None:
                by_entry.setdefault((kind, getattr(citation, column)), []).append(citation)
    for entry in entries:
        entry.citations = by_entry.get((entry.kind, entry.id), [])


def _latest(queryset, date_field: str, latest: int | None):
    """The ``latest`` last entries in timeline order (unknown dates are last), or all."""
    if latest is None:
        return queryset
    return queryset.order_by(F(date_field).desc(nulls_first=True), "-id")[:latest]


def _events(case: Case, user, latest: int | None) -> list[TimelineEntry]:
    events = _latest(Event.objects.visible_to(user).filter(case=case), "occurred_on", latest)
    return [
        TimelineEntry(
            kind=EntryKind.EVENT,
            id=event.pk,
            date=event.occurred,
            title=event.title,
            description=_with_reading(event),
            subkind=event.kind,
            sensitive=event.is_sensitive,
            obj=event,
        )
        for event in events
    ]


def _with_reading(event: Event) -> str:
    """An observation's description, then what it may mean and how sure that reading is."""
    if not event.interpretation:
        return event.description
    reading = f"May mean: {event.interpretation} ({event.get_interpretation_confidence_display()})"
    return f"{event.description}\n{reading}" if event.description else reading


def _request_updates(case: Case, user, latest: int | None) -> list[TimelineEntry]:
    updates = _latest(
        RequestUpdate.objects.visible_to(user)
        .filter(request__case=case)
        .select_related("request__person", "source", "recorded_by"),
        "occurred_on",
        latest,
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
            )
        )
    return entries


def _positions(case: Case, user, latest: int | None) -> list[TimelineEntry]:
    statements = _latest(
        PositionStatement.objects.visible_to(user)
        .filter(involvement__case=case)
        .select_related("involvement__government", "request", "source", "spoken_by"),
        "stated_on",
        latest,
    )
    entries = []
    for statement in statements:
        on = f" on {statement.request.summary}" if statement.request_id else ""
        said_by = f" (said by {statement.spoken_by.name})" if statement.spoken_by_id else ""
        entries.append(
            TimelineEntry(
                kind=EntryKind.POSITION,
                id=statement.pk,
                date=statement.stated,
                title=f"{statement.involvement.government}{on}: {statement.get_stance_display()}{said_by}",
                description=statement.condition or statement.statement_translation or statement.statement_original,
                subkind=statement.stance,
                sensitive=False,
                obj=statement,
            )
        )
    return entries


def _interventions(case: Case, user, latest: int | None) -> list[TimelineEntry]:
    interventions = _latest(
        Intervention.objects.visible_to(user).filter(case=case).select_related("government", "addressed_to_actor"),
        "occurred_on",
        latest,
    )
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


def case_timeline(case: Case, *, user, latest: int | None = None) -> list[TimelineEntry]:
    """Every entry of ``case``'s timeline the user may see, oldest first
    (unknown dates last); with ``latest``, only the last ``latest`` of them.
    The caller has already checked that the user may see the case
    (``Case.objects.visible_to(user)``)."""
    # Each kind through visible_to(user): nothing of a request in the bin, no sensitive event
    # for those not allowed. With ``latest``, each kind's last ones: the overall last are among them.
    entries = [
        *_events(case, user, latest),
        *_request_updates(case, user, latest),
        *_positions(case, user, latest),
        *_interventions(case, user, latest),
    ]
    entries.sort(key=lambda entry: entry.sort_key)
    if latest is not None:
        entries = entries[-latest:]
    _attach_citations(entries, user)
    return entries


@dataclass
class TimelineFilter:
    """``since`` and ``until`` (inclusive: an entry is in only if its whole period is, so
    "Q4 2024" is not in "since 2024-12-01") and the kinds of entries wanted (none: all).
    The API (``cases/{id}/timeline/``) and the case page read it from the same parameters."""

    since: datetime.date | None = None
    until: datetime.date | None = None
    kinds: set[str] = field(default_factory=set)
    errors: dict[str, list[str]] = field(default_factory=dict)

    PARAMETERS = ("since", "until", "kind")

    @classmethod
    def from_query(cls, params) -> TimelineFilter:
        """``?since=&until=`` (YYYY-MM-DD) and ``?kind=`` (repeatable), with an error per wrong parameter."""
        wanted, errors = {}, {}
        for name in ("since", "until"):
            try:
                wanted[name] = datetime.date.fromisoformat(params[name]) if params.get(name) else None
            except ValueError:
                errors[name] = ["A date: YYYY-MM-DD."]
        kinds = {kind for kind in params.getlist("kind") if kind}
        if kinds - set(EntryKind.ORDER):
            errors["kind"] = [f"One of: {', '.join(EntryKind.ORDER)}."]
        return cls(since=wanted.get("since"), until=wanted.get("until"), kinds=kinds, errors=errors)

    @property
    def active(self) -> bool:
        return not self.errors and bool(self.since or self.until or self.kinds)

    def keeps(self, entry: TimelineEntry) -> bool:
        return entry.date.within(self.since, self.until) and (not self.kinds or entry.kind in self.kinds)

    def apply(self, entries: list[TimelineEntry]) -> list[TimelineEntry]:
        return [entry for entry in entries if self.keeps(entry)]
