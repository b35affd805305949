"""The case page's timeline filter, typed as people write dates.

The API's ``?since=&until=`` are ISO days (``events.timeline.TimelineFilter``);
the case page takes what the reader would write in their language, never a
browser's ``mm/dd/yyyy`` guess (``core.dates.parse_reported``): "2025",
"лютий 2025", "2025년 4분기", "Q4 2024", "17.02.2025", with an optional precision
choice. A period stands for its days: "since Q4 2024" is from 1 October 2024,
"until February 2025" through 28 February 2025, and the SQL filter is the API's
(an entry is in only if its whole period is).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import get_language

from core.dates import AMBIGUOUS_DATE_MESSAGE, DatePrecision, FuzzyDate, normalise, parse_reported
from core.forms import NO_PRECISION
from events.timeline import EntryKind, TimelineFilter

#: The precisions a bound may be given at ("unknown" bounds nothing).
PRECISIONS = [*NO_PRECISION, *((v, label) for v, label in DatePrecision.choices if v != DatePrecision.UNKNOWN)]


def _bound(text: str, precision: str, *, end: bool) -> datetime.date | None:
    """The first (or, with ``end``, the last) day of the period ``text`` names; None if it names none."""
    reported = parse_reported(text, get_language())
    if reported is None:
        return None
    precision = precision or reported.precision
    first = normalise(reported, precision)
    return FuzzyDate(first, precision).period_end if end else first


@dataclass
class TypedTimelineFilter(TimelineFilter):
    """``TimelineFilter`` with the bounds as typed (``since_text``) and their precision, to show again."""

    since_text: str = ""
    until_text: str = ""
    since_precision: str = ""
    until_precision: str = ""

    @classmethod
    def from_query(cls, params) -> TypedTimelineFilter:
        bounds, typed, errors = {}, {}, {}
        for name in ("since", "until"):
            text = (params.get(name) or "").strip()
            precision = params.get(f"{name}_precision") or ""
            typed[f"{name}_text"], typed[f"{name}_precision"] = text, precision
            if precision not in dict(PRECISIONS):
                errors[name] = [str(AMBIGUOUS_DATE_MESSAGE)]
            elif text:
                bounds[name] = _bound(text, precision, end=name == "until")
                if bounds[name] is None:
                    errors[name] = [str(AMBIGUOUS_DATE_MESSAGE)]
        kinds = {kind for kind in params.getlist("kind") if kind}
        if kinds - set(EntryKind.ORDER):
            errors["kind"] = [f"One of: {', '.join(EntryKind.ORDER)}."]
        return cls(since=bounds.get("since"), until=bounds.get("until"), kinds=kinds, errors=errors, **typed)
