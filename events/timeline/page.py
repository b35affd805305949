"""A page of a case's timeline, found in SQL: one ordered ``UNION ALL`` of the four
kinds, each through ``visible_to(user)``, from a keyset cursor, with a LIMIT."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import DateField, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from casework.models import Case, Intervention, PositionStatement, RequestUpdate
from events.models import Event
from events.timeline.entries import BUILDERS, EntryKind, TimelineEntry, attach_citations


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
KIND_OF = {order: kind for kind, order in EntryKind.ORDER.items()}


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


@dataclass(frozen=True)
class PageQuery:
    """What a page asks: ``size`` entries from a cursor (``after``, ``before``, or ``last``),
    ``since``/``until`` (whole periods in range), ``kinds`` (none: all)."""

    size: int
    after: TimelinePosition | None = None
    before: TimelinePosition | None = None
    last: bool = False
    since: datetime.date | None = None
    until: datetime.date | None = None
    kinds: frozenset[str] = frozenset()

    @property
    def backwards(self) -> bool:
        return self.before is not None or self.last

    def branch(self, kind: str, case: Case, user) -> QuerySet:
        """``kind``'s rows of the page, through its access rule, with their sort key."""
        model, case_path, date_field = KINDS[kind]
        rows = (
            model.objects.visible_to(user)
            .filter(**{case_path: case})
            .filter(_within(date_field, self.since, self.until))
            .annotate(
                sort_date=Coalesce(date_field, Value(datetime.date.max), output_field=DateField()),
                kind_order=Value(EntryKind.ORDER[kind], output_field=IntegerField()),
            )
        )
        if self.after is not None:
            rows = rows.filter(_beyond(kind, self.after, later=True))
        if self.before is not None:
            rows = rows.filter(_beyond(kind, self.before, later=False))
        return rows

    def rows(self, branches: list[QuerySet]) -> tuple[list, bool]:
        """The page's rows, oldest first, and whether there are more beyond it (one statement)."""
        if not branches:
            return [], False
        ordering = ("-sort_date", "-kind_order", "-id") if self.backwards else ("sort_date", "kind_order", "id")
        if len(branches) == 1:  # already in order and limited (``keys``)
            rows = list(branches[0])
        else:
            rows = list(branches[0].union(*branches[1:], all=True).order_by(*ordering)[: self.size + 1])
        more = len(rows) > self.size
        rows = rows[: self.size]
        if self.backwards:
            rows.reverse()
        return rows, more

    def keys(self, case: Case, user) -> tuple[list, dict[int, list[int]], bool]:
        """The page's keys (date, kind's rank, id) in order, its ids by kind's rank, and whether
        there are more beyond it: one statement."""
        # Each branch its own first entries (ORDER BY … LIMIT): an event's and an intervention's
        # walk their (case, date, id) index and stop (event_case_sort_idx, intervention_case_sort_idx),
        # so the page costs the same in a case of 500 entries or of 100,000.
        ordering = ("-sort_date", "-id") if self.backwards else ("sort_date", "id")
        branches = [
            self.branch(kind, case, user)
            .values_list("sort_date", "kind_order", "id")
            .order_by(*ordering)[: self.size + 1]
            for kind in self.wanted_kinds()
        ]
        rows, more = self.rows(branches)
        wanted: dict[int, list[int]] = {}
        for _date, order, pk in rows:
            wanted.setdefault(order, []).append(pk)
        return rows, wanted, more

    def page(self, entries: list[TimelineEntry], more: bool) -> TimelinePage:
        if self.backwards:
            return TimelinePage(entries, has_earlier=more, has_later=self.before is not None)
        return TimelinePage(entries, has_earlier=self.after is not None, has_later=more)

    def wanted_kinds(self) -> list[str]:
        return [kind for kind in KINDS if not self.kinds or kind in self.kinds]


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
    (unknown dates last), with their records: the first ones, those ``after`` a position,
    those just ``before`` one, or (``last``) the latest. ``since``/``until`` keep the entries
    whose whole period is in that range; ``kinds`` some kinds only; ``translations``
    (a page, not the API) reads what pages show besides: translations, the events' actors
    present, the interventions' legal arguments (one query each). The page's keys are one
    statement; then one per kind on the page and one for their citations. The caller has
    already checked that the user may see the case (``Case.objects.visible_to(user)``).
    The API reads the same page in two statements, without records (events.timeline.rows)."""
    query = PageQuery(size, after, before, last, since, until, frozenset(kinds))
    rows, wanted, more = query.keys(case, user)
    found = {}
    for order, ids in wanted.items():
        for entry in BUILDERS[KIND_OF[order]](user, ids, translations):
            found[(order, entry.id)] = entry
    entries = [found[(order, pk)] for _date, order, pk in rows if (order, pk) in found]
    attach_citations(entries)
    return query.page(entries, more)


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
