"""A case's timeline: its events, request updates, position statements and
interventions, merged in date order, each with its sources.

One selector, used by the API (``cases/{id}/timeline/``) and the case page,
so both show the same story. It makes a fixed number of queries whatever the
number of entries: one per kind, and one for every entry's citations.
"""

from __future__ import annotations

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


def _events(case: Case, user, latest: int | None, translations: bool = False) -> list[TimelineEntry]:
    events = Event.objects.visible_to(user).filter(case=case)
    events = _latest(events.prefetch_related("translations") if translations else events, "occurred_on", latest)
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
        )
        for event in events
    ]


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


def _positions(case: Case, user, latest: int | None, translations: bool = False) -> list[TimelineEntry]:
    statements = (
        PositionStatement.objects.visible_to(user)
        .filter(involvement__case=case)
        .select_related("involvement__government", "request", "source")
    )
    statements = _latest(
        statements.prefetch_related("translations") if translations else statements,
        "stated_on",
        latest,
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
            )
        )
    return entries


def _interventions(case: Case, user, latest: int | None) -> list[TimelineEntry]:
    interventions = _latest(
        Intervention.objects.visible_to(user).filter(case=case).select_related("government"), "occurred_on", latest
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


def case_timeline(case: Case, *, user, latest: int | None = None, translations: bool = False) -> list[TimelineEntry]:
    """Every entry of ``case``'s timeline the user may see, oldest first
    (unknown dates last); with ``latest``, only the last ``latest`` of them;
    with ``translations``, the events' and positions' translations read too (pages).
    The caller has already checked that the user may see the case
    (``Case.objects.visible_to(user)``)."""
    # Each kind through visible_to(user): nothing of a request in the bin, no sensitive event
    # for those not allowed. With ``latest``, each kind's last ones: the overall last are among them.
    entries = [
        *_events(case, user, latest, translations),
        *_request_updates(case, user, latest),
        *_positions(case, user, latest, translations),
        *_interventions(case, user, latest),
    ]
    entries.sort(key=lambda entry: entry.sort_key)
    if latest is not None:
        entries = entries[-latest:]
    _attach_citations(entries, user)
    return entries
