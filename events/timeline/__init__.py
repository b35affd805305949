"""A case's timeline: its events, request updates, position statements and
interventions, merged in date order, each with its sources.

One page finder used by the API (``cases/{id}/timeline/``) and the case page, so
both show the same story: one ordered ``UNION ALL`` of the four kinds, each
through ``visible_to(user)``, from a keyset cursor, with a LIMIT
(events.timeline.page). Pages then read each entry's record (``timeline_page``:
templates show more than the entry); the API reads the whole page in that one
statement, each entry and its sources built by PostgreSQL (``timeline_rows``).
Either costs what the page holds, not what the case holds.
"""

from events.timeline.entries import EntryKind, TimelineEntry, legal_arguments
from events.timeline.filter import TimelineFilter
from events.timeline.page import TimelinePage, TimelinePosition, case_timeline, timeline_page
from events.timeline.rows import timeline_rows

__all__ = [
    "EntryKind",
    "TimelineEntry",
    "TimelineFilter",
    "TimelinePage",
    "TimelinePosition",
    "case_timeline",
    "legal_arguments",
    "timeline_page",
    "timeline_rows",
]
