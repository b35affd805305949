"""Which entries of a timeline a reader wants: a period and some kinds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext

from events.timeline.entries import EntryKind


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
