"""A case's timeline: its events, request updates, position statements and
interventions, merged in date order, each with its sources.

One selector, ``timeline_page``, used by the API (``cases/{id}/timeline/``)
and the case page, so both show the same story. A page is found in SQL: one
ordered ``UNION ALL`` of the four kinds' keys (date, kind, id), each kind
through ``visible_to(user)``, from a keyset cursor, with a LIMIT; then the
page's entries are read, one query per kind on the page and one for their
citations. Its cost follows the page's size, not the case's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import DateField, IntegerField, Model, Prefetch, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from casework.models import Case, Intervention, LegalArgument, PositionStatement, RequestUpdate
from core.dates import FuzzyDate
from events.models import Citation, Event, EventActor


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
    obj: Model
    citations: list[Citation] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple:
        return (*self.date.sort_key, EntryKind.ORDER[self.kind], self.id)

    @property
    def position(self) -> TimelinePosition:
        """Where the entry stands in the timeline: what a cursor holds."""
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


#: The citation's link to each kind of entry that has sources.
CITED_BY = {"event_id": "event", "request_update_id": "request_update", "position_id": "position"}


def _attach_citations(entries: list[TimelineEntry], user) -> None:
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
    reading = gettext("May mean: %(reading)s (%(confidence)s)") % {
        "reading": event.interpretation,
        "confidence": event.get_interpretation_confidence_display(),
    }
    return f"{event.description}\n{reading}" if event.description else reading


def _request_updates(user, ids: list[int], translations: bool = False) -> list[TimelineEntry]:
    updates = (
        RequestUpdate.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("request__person", "source", "recorded_by")
    )
    entries = []
    for update in updates:
        request = update.request
        verb = pgettext("request update", "reaffirmed") if update.is_reaffirmation else update.get_status_display()
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


def _positions(user, ids: list[int], translations: bool = False) -> list[TimelineEntry]:
    statements = (
        PositionStatement.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("involvement__government", "request", "source", "spoken_by")
    )
    statements = statements.prefetch_related("translations") if translations else statements
    entries = []
    for statement in statements:
        parts = {"government": statement.involvement.government, "stance": statement.get_stance_display()}
        if statement.request_id:
            title = gettext("%(government)s on %(request)s: %(stance)s") % {
                **parts,
                "request": statement.request.summary,
            }
        else:
            title = gettext("%(government)s: %(stance)s") % parts
        if statement.spoken_by_id:
            title = gettext("%(title)s (said by %(speaker)s)") % {"title": title, "speaker": statement.spoken_by.name}
        entries.append(
            TimelineEntry(
                kind=EntryKind.POSITION,
                id=statement.pk,
                date=statement.stated,
                title=title,
                description=statement.condition or statement.statement_original,
                subkind=statement.stance,
                sensitive=False,
                obj=statement,
            )
        )
    return entries


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
            title=gettext("We: %(intervention)s") % {"intervention": item},
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


@dataclass(frozen=True)
class TimelinePosition:
    """An entry's place in the timeline, its sort key: the first day of its period
    (unknown dates: the last day there is, so they come last), its kind's rank, its id."""

    date: datetime.date
    kind: int
    id: int


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    has_earlier: bool  # entries before the first one
    has_later: bool  # entries after the last one


#: Each kind: its model, the path to its case, its date field.
KINDS = {
    EntryKind.EVENT: (Event, "case", "occurred_on"),
    EntryKind.REQUEST_UPDATE: (RequestUpdate, "request__case", "occurred_on"),
    EntryKind.POSITION: (PositionStatement, "involvement__case", "stated_on"),
    EntryKind.INTERVENTION: (Intervention, "case", "occurred_on"),
}
BUILDERS = {
    EntryKind.EVENT: _events,
    EntryKind.REQUEST_UPDATE: _request_updates,
    EntryKind.POSITION: _positions,
    EntryKind.INTERVENTION: _interventions,
}


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.year * 12 + day.month - 1 - months
    return datetime.date(month // 12, month % 12 + 1, 1)


def _within(date_field: str, since: datetime.date | None, until: datetime.date | None) -> Q:
    """``FuzzyDate.within`` in SQL: the whole period in [since, until]; unknown dates only unfiltered."""
    if since is None and until is None:
        return Q()
    precision = f"{date_field}_precision"
    condition = Q(**{f"{date_field}__isnull": False}) & ~Q(**{precision: "unknown"})
    if since is not None:
        condition &= Q(**{f"{date_field}__gte": since})
    if until is not None:
        after = until + datetime.timedelta(days=1)  # the last period to end by ``until`` starts before this
        quarter_start = datetime.date(after.year, (after.month - 1) // 3 * 3 + 1, 1)
        condition &= (
            Q(**{precision: "day", f"{date_field}__lte": until})
            | Q(**{precision: "month", f"{date_field}__lte": _months_before(after.replace(day=1), 1)})
            | Q(**{precision: "quarter", f"{date_field}__lte": _months_before(quarter_start, 3)})
            | Q(**{precision: "year", f"{date_field}__lte": datetime.date(after.year - 1, 1, 1)})
        )
    return condition


def _beyond(kind: str, cursor: TimelinePosition, later: bool) -> Q:
    """The entries of ``kind`` after (``later``) or before the cursor's position."""
    op = "gt" if later else "lt"
    order = EntryKind.ORDER[kind]
    condition = Q(**{f"sort_date__{op}": cursor.date})
    if (order > cursor.kind) == later and order != cursor.kind:
        condition |= Q(sort_date=cursor.date)
    elif order == cursor.kind:
        condition |= Q(sort_date=cursor.date, **{f"pk__{op}": cursor.id})
    return condition


def timeline_page(
    case: Case,
    *,
    user,
    size: int,
    after: TimelinePosition | None = None,
    before: TimelinePosition | None = None,
    last: bool = False,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    kinds: set[str] | frozenset[str] = frozenset(),
    translations: bool = False,
) -> TimelinePage:
    """``size`` entries of ``case``'s timeline the user may see, oldest first
    (unknown dates last): the first ones, those ``after`` a position, those just
    ``before`` one, or (``last``) the latest. ``since``/``until`` keep the entries
    whose whole period is in that range; ``kinds`` some kinds only; ``translations``
    (a page, not the API) reads what pages show besides: translations, the events' actors
    present, the interventions' legal arguments (one query each). The caller has
    already checked that the user may see the case (``Case.objects.visible_to(user)``)."""
    backwards = before is not None or last
    branches = []
    for kind, (model, case_path, date_field) in KINDS.items():
        if kinds and kind not in kinds:
            continue
        keys = (
            model.objects.visible_to(user)
            .filter(**{case_path: case})
            .filter(_within(date_field, since, until))
            .annotate(
                sort_date=Coalesce(date_field, Value(datetime.date.max), output_field=DateField()),
                kind_order=Value(EntryKind.ORDER[kind], output_field=IntegerField()),
            )
        )
        if after is not None:
            keys = keys.filter(_beyond(kind, after, later=True))
        if before is not None:
            keys = keys.filter(_beyond(kind, before, later=False))
        branches.append(keys.values_list("sort_date", "kind_order", "id").order_by())
    if not branches:
        return TimelinePage([], False, False)
    ordering = ("-sort_date", "-kind_order", "-id") if backwards else ("sort_date", "kind_order", "id")
    union = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    rows = list(union.order_by(*ordering)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    wanted: dict[int, list[int]] = {}
    for _date, order, pk in rows:
        wanted.setdefault(order, []).append(pk)
    kind_of = {order: kind for kind, order in EntryKind.ORDER.items()}
    found = {}
    for order, ids in wanted.items():
        for entry in BUILDERS[kind_of[order]](user, ids, translations):
            found[(order, entry.id)] = entry
    entries = [found[(order, pk)] for _date, order, pk in rows if (order, pk) in found]
    _attach_citations(entries, user)
    if backwards:
        return TimelinePage(entries, has_earlier=more, has_later=before is not None)
    return TimelinePage(entries, has_earlier=after is not None, has_later=more)


def case_timeline(case: Case, *, user, latest: int | None = None, **filters) -> list[TimelineEntry]:
    """Every entry of ``case``'s timeline the user may see, oldest first (unknown
    dates last); with ``latest``, only the last ``latest`` of them (``timeline_page``);
    ``since``, ``until``, ``kinds`` and ``translations`` (for pages: read the events' and
    positions' translations too, the events' actors present and the interventions' legal
    arguments) as ``timeline_page`` takes them."""
    if latest is not None:
        return timeline_page(case, user=user, size=latest, last=True, **filters).entries
    entries, position = [], None
    while True:
        page = timeline_page(case, user=user, size=500, after=position, **filters)
        entries += page.entries
        if not page.has_later or not page.entries:
            return entries
        position = page.entries[-1].position


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
            errors["kind"] = [gettext("One of: %(choices)s.") % {"choices": ", ".join(EntryKind.ORDER)}]
        return cls(since=wanted.get("since"), until=wanted.get("until"), kinds=kinds, errors=errors)

    @property
    def active(self) -> bool:
        return not self.errors and bool(self.since or self.until or self.kinds)

    def sql_filters(self) -> dict:
        """What ``timeline_page`` filters on, in SQL (``_within``: the whole period in range)."""
        if self.errors:
            return {}
        return {"since": self.since, "until": self.until, "kinds": frozenset(self.kinds)}
