"""The API's timeline page in two statements: the page's keys (events.timeline.page),
then its entries, their words and their sources built by PostgreSQL, written out in
Python without a model instance.

Each kind's branch of the second is that kind's ``visible_to(user)`` rows on the page
with the entry's date, a JSON object of what its title and description are made of
(``DATA``) and an array of its citations (``CITED``: not a source in the bin).
"""

from __future__ import annotations

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import F, IntegerField, JSONField, OuterRef, Value
from django.db.models.functions import JSONObject

from casework.models import Case
from core.dates import FuzzyDate
from core.shown import note_records
from events.models import Citation
from events.timeline import entries as words
from events.timeline.entries import EntryKind, TimelineEntry
from events.timeline.page import KIND_OF, KINDS, PageQuery, TimelinePage, TimelinePosition
from people.models import Person

#: A citation as the API writes it (events.api.serializers.TimelineCitationSerializer).
CITED = JSONObject(
    id="id",
    source="source_id",
    source_title="source__title",
    source_publisher="source__publisher",
    source_url="source__url",
    source_reliability="source__reliability",
    locator="locator",
    confidence="confidence",
)
#: Each kind's words; ``person`` is noted for the view log (core/shown.py).
DATA = {
    EntryKind.EVENT: JSONObject(
        title="title",
        description="description",
        interpretation="interpretation",
        confidence="interpretation_confidence",
        kind="kind",
        sensitivity="sensitivity",
    ),
    EntryKind.REQUEST_UPDATE: JSONObject(
        person="request__person_id",
        person_name="request__person__display_name",
        summary="request__summary",
        status="status",
        previous="previous_status",
        note="note",
    ),
    EntryKind.POSITION: JSONObject(
        government="involvement__government__name",
        stance="stance",
        request="request__summary",
        speaker="spoken_by__name",
        condition="condition",
        statement="statement_original",
    ),
    EntryKind.INTERVENTION: JSONObject(
        kind="kind",
        government="government__name",
        actor="addressed_to_actor__name",
        actor_original="addressed_to_actor__name_original",
        actor_role="addressed_to_actor__role",
        asked="asked",
    ),
}
#: The citation's link to each kind of entry that has sources.
CITED_BY = {EntryKind.EVENT: "event", EntryKind.REQUEST_UPDATE: "request_update", EntryKind.POSITION: "position"}
COLUMNS = ("kind_order", "id", "entry_date", "entry_precision", "entry_data", "entry_sources")


def _sources(kind: str):
    if kind not in CITED_BY:
        return Value(None, output_field=ArrayField(JSONField()))
    cited = Citation.objects.filter(**{CITED_BY[kind]: OuterRef("pk")}, source__deleted_at__isnull=True)
    return ArraySubquery(cited.order_by("id").values(cited=CITED))


def _entry(kind: str, pk: int, date: FuzzyDate, data: dict, cited: list | None) -> TimelineEntry:
    entry = TimelineEntry(kind, pk, date, "", "", "", False, None, cited or [])
    if kind == EntryKind.EVENT:
        entry.title, entry.subkind = data["title"], data["kind"]
        entry.description = words.event_description(data["description"], data["interpretation"], data["confidence"])
        entry.sensitive = words.event_sensitive(data["sensitivity"], data["kind"])
    elif kind == EntryKind.REQUEST_UPDATE:
        entry.title = words.request_update_title(data["person_name"], data["summary"], data["status"], data["previous"])
        entry.description, entry.subkind = data["note"], data["status"]
    elif kind == EntryKind.POSITION:
        entry.title = words.position_title(data["government"], data["stance"], data["request"], data["speaker"])
        entry.description, entry.subkind = data["condition"] or data["statement"], data["stance"]
    else:
        actor = data["actor"] and words.actor_name(data["actor"], data["actor_original"], data["actor_role"])
        name = words.intervention_name(data["kind"], data["government"], actor, date)
        entry.title, entry.description, entry.subkind = words.intervention_title(name), data["asked"], data["kind"]
    return entry


def timeline_rows(
    case: Case,
    *,
    user,
    size: int,
    after: TimelinePosition | None = None,
    before: TimelinePosition | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    kinds: set[str] | frozenset[str] = frozenset(),
) -> TimelinePage:
    """``timeline_page`` for the API, in two statements: the page's keys (the ordered
    ``UNION ALL`` of events.timeline.page), then the page's entries, each built with its
    sources by PostgreSQL (one ``UNION ALL`` of the kinds on the page): the words and
    sources of the page's entries only, not of every entry of the case. The same entries
    as ``timeline_page``, without their records (``obj`` is None; ``citations`` are the
    API's dicts).

    For the view log (core/shown.py) the page shows its case and the people its request
    updates name (noted here, as loading them would have). Its sources are shown as
    this case's sources, so they are not noted as records: a noted source would log
    every restricted case citing it anywhere (casework.view_log.shown_cases: ~300 cases
    and ~330 ms for a 500-entry page at 20,000 cases), none of whose content is shown."""
    query = PageQuery(size, after, before, False, since, until, frozenset(kinds))
    page, wanted, more = query.keys(case, user)
    branches = []
    for order, ids in wanted.items():
        kind = KIND_OF[order]
        model, _case_path, date_field = KINDS[kind]
        rows = (
            model.objects.visible_to(user)
            .filter(pk__in=ids)
            .annotate(
                kind_order=Value(order, output_field=IntegerField()),
                entry_date=F(date_field),
                entry_precision=F(f"{date_field}_precision"),
                entry_data=DATA[kind],
                entry_sources=_sources(kind),
            )
        )
        branches.append(rows.values_list(*COLUMNS).order_by())
    found = {}
    if branches:
        union = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
        found = {(row[0], row[1]): row[2:] for row in union}
    entries = []
    for _date, order, pk in page:
        if (order, pk) in found:
            date, precision, data, cited = found[(order, pk)]
            entries.append(_entry(KIND_OF[order], pk, FuzzyDate(date, precision), data, cited))
    note_records(Person, {data.get("person") for _date, _precision, data, _cited in found.values()})
    return query.page(entries, more)
