"""The entries of a case's timeline and the words each kind is shown with.

Each kind's title is written by one function (``*_title``), whether the entry
is built from its record (pages: ``BUILDERS``) or from the row its page's
statement returned (the API: events.timeline.rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Model, Prefetch, Q
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from casework.models import Intervention, LegalArgument, PositionStatement, RequestUpdate
from core.dates import FuzzyDate
from events.models import Citation, Event, EventActor, EventKind, Sensitivity


class EntryKind:
    EVENT = "event"
    REQUEST_UPDATE = "request_update"
    POSITION = "position"
    INTERVENTION = "intervention"
    ORDER = {EVENT: 0, REQUEST_UPDATE: 1, POSITION: 2, INTERVENTION: 3}
    LABELS = {
        EVENT: _("Events"),
        REQUEST_UPDATE: _("Request updates"),
        POSITION: _("Government positions"),
        INTERVENTION: _("Our interventions"),
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
    obj: Model | None  # None when built from its row (the API: events.timeline.rows)
    #: Citation records; from a row, the API's own dicts of them (events.timeline.rows.CITED)
    citations: list = field(default_factory=list)

    @property
    def sort_key(self) -> tuple:
        return (*self.date.sort_key, EntryKind.ORDER[self.kind], self.id)

    @property
    def position(self):
        """Where the entry stands in the timeline: what a cursor holds."""
        from events.timeline.page import TimelinePosition

        return TimelinePosition(self.date.sort_key[1], EntryKind.ORDER[self.kind], self.id)

    @property
    def source(self):
        """The entry's direct source (request updates and positions have one), or None."""
        return (
            getattr(self.obj, "source", None) if self.kind in (EntryKind.REQUEST_UPDATE, EntryKind.POSITION) else None
        )

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"


# ---------------------------------------------------------------- words
def labels(model, name: str) -> dict:
    """A choice field's value → its label (``get_FOO_display`` without a record)."""
    return dict(model._meta.get_field(name).flatchoices)


def event_description(description: str, interpretation: str, confidence: str) -> str:
    """An observation's description, then what it may mean and how sure that reading is."""
    if not interpretation:
        return description
    reading = gettext("May mean: %(reading)s (%(confidence)s)") % {
        "reading": interpretation,
        "confidence": labels(Event, "interpretation_confidence").get(confidence, confidence),
    }
    return f"{description}\n{reading}" if description else reading


def event_sensitive(sensitivity: str, kind: str) -> bool:
    """``Event.is_sensitive``."""
    return sensitivity == Sensitivity.SENSITIVE or kind == EventKind.WELFARE_INCIDENT


def request_update_title(person: str, summary: str, status: str, previous_status: str) -> str:
    reaffirmed = previous_status == status  # RequestUpdate.is_reaffirmation
    verb = (
        pgettext("request update", "reaffirmed") if reaffirmed else labels(RequestUpdate, "status").get(status, status)
    )
    return f"{person}: {summary} — {verb}"


def position_title(government: str, stance: str, request: str | None, speaker: str | None) -> str:
    parts = {"government": government, "stance": labels(PositionStatement, "stance").get(stance, stance)}
    if request is not None:
        title = gettext("%(government)s on %(request)s: %(stance)s") % {**parts, "request": request}
    else:
        title = gettext("%(government)s: %(stance)s") % parts
    if speaker is not None:
        title = gettext("%(title)s (said by %(speaker)s)") % {"title": title, "speaker": speaker}
    return title


def intervention_title(intervention: str) -> str:
    return gettext("We: %(intervention)s") % {"intervention": intervention}


def actor_name(name: str, name_original: str, role: str) -> str:
    """``str(Actor)``."""
    name = f"{name} ({name_original})" if name_original else name
    return f"{name}, {role}" if role else name


def intervention_name(kind: str, government: str | None, actor: str | None, occurred: FuzzyDate) -> str:
    """``str(Intervention)``."""
    to = " and ".join(name for name in (government, actor) if name is not None)
    return f"{labels(Intervention, 'kind').get(kind, kind)}{' to ' + to if to else ''} ({occurred})"


# ---------------------------------------------------------------- entries from their records (pages)
#: The citation's link to each kind of entry that has sources.
CITED_BY = {"event_id": "event", "request_update_id": "request_update", "position_id": "position"}


def attach_citations(entries: list[TimelineEntry]) -> None:
    """The sources of every entry (entries the user may see), in one query: not a source in the bin."""
    ids = {kind: [entry.id for entry in entries if entry.kind == kind] for kind in CITED_BY.values()}
    wanted = Q(pk__in=[])
    for column, kind in CITED_BY.items():
        if ids[kind]:
            wanted |= Q(**{f"{column}__in": ids[kind]})
    if wanted == Q(pk__in=[]):
        return
    by_entry: dict[tuple[str, int], list[Citation]] = {}
    # The entries passed their own visible_to (case, bin, sensitivity), and a citation is
    # visible when its fact is (events.querysets.citation_visibility): what is left to check
    # is the source's bin. Citation.visible_to again would re-walk every fact's case.
    cited = Citation.objects.filter(wanted, source__deleted_at__isnull=True)
    for citation in cited.select_related("source").order_by("id"):
        for column, kind in CITED_BY.items():
            if getattr(citation, column) is not None:
                by_entry.setdefault((kind, getattr(citation, column)), []).append(citation)
    for entry in entries:
        entry.citations = by_entry.get((entry.kind, entry.id), [])


def _events(user, ids: list[int], translations: bool = False) -> list[TimelineEntry]:
    events = Event.objects.visible_to(user).filter(pk__in=ids)
    if translations:  # a page: the translations, and the actors present with their part (one query each)
        actors = EventActor.objects.select_related("actor").order_by("id")
        events = events.prefetch_related("translations", Prefetch("event_actors", actors))
    return [
        TimelineEntry(
            kind=EntryKind.EVENT,
            id=event.pk,
            date=event.occurred,
            title=event.title,
            description=event_description(event.description, event.interpretation, event.interpretation_confidence),
            subkind=event.kind,
            sensitive=event.is_sensitive,
            obj=event,
        )
        for event in events
    ]


def _request_updates(user, ids: list[int], translations: bool = False) -> list[TimelineEntry]:
    updates = (
        RequestUpdate.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("request__person", "source", "recorded_by")
    )
    return [
        TimelineEntry(
            kind=EntryKind.REQUEST_UPDATE,
            id=update.pk,
            date=update.occurred,
            title=request_update_title(
                update.request.person.display_name, update.request.summary, update.status, update.previous_status
            ),
            description=update.note,
            subkind=update.status,
            sensitive=False,
            obj=update,
        )
        for update in updates
    ]


def _positions(user, ids: list[int], translations: bool = False) -> list[TimelineEntry]:
    statements = (
        PositionStatement.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("involvement__government", "request", "source", "spoken_by")
    )
    statements = statements.prefetch_related("translations") if translations else statements
    return [
        TimelineEntry(
            kind=EntryKind.POSITION,
            id=statement.pk,
            date=statement.stated,
            title=position_title(
                str(statement.involvement.government),
                statement.stance,
                statement.request.summary if statement.request_id else None,
                statement.spoken_by.name if statement.spoken_by_id else None,
            ),
            description=statement.condition or statement.statement_original,
            subkind=statement.stance,
            sensitive=False,
            obj=statement,
        )
        for statement in statements
    ]


def _interventions(user, ids: list[int], translations: bool = False) -> list[TimelineEntry]:
    interventions = (
        Intervention.objects.visible_to(user).filter(pk__in=ids).select_related("government", "addressed_to_actor")
    )
    if translations:  # a page: the legal arguments made in each (one query), through their own access rule
        interventions = interventions.prefetch_related(Prefetch("legal_arguments", legal_arguments(user)))
    return [
        TimelineEntry(
            kind=EntryKind.INTERVENTION,
            id=item.pk,
            date=item.occurred,
            title=intervention_title(str(item)),
            description=item.asked,
            subkind=item.kind,
            sensitive=False,
            obj=item,
        )
        for item in interventions
    ]


def legal_arguments(user):
    """The legal arguments ``user`` may see (``LegalArgument.visible_to``: their case's rule, none
    in the bin), with their basis and who argues them: for a ``Prefetch`` of a page."""
    return LegalArgument.objects.visible_to(user).select_related("basis", "argued_by").order_by("id")


BUILDERS = {
    EntryKind.EVENT: _events,
    EntryKind.REQUEST_UPDATE: _request_updates,
    EntryKind.POSITION: _positions,
    EntryKind.INTERVENTION: _interventions,
}
