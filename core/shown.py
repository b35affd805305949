"""What a response showed: every Vigil record loaded from the database while a
request is served, collected for the view log (casework.view_log.case_views_record).

One mechanism for every interface: ``VigilModel.from_db`` notes each record it
loads, whatever loaded it (an admin list, an API serializer, a dashboard
selector, a template), so no view has to remember to log. Records the
request only counted, or read as plain values, are not "shown" and not noted;
those a response rebuilds from a cache are noted by whoever reads the cache
(``note``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class Shown:
    #: cases loaded: ids
    cases: set = field(default_factory=set)
    #: cases of records loaded with their ``case_id`` (whether restricted is looked up once)
    case_ids: set = field(default_factory=set)
    #: any other record: model → ids (its cases are looked up once)
    records: dict = field(default_factory=dict)


_shown: ContextVar[Shown | None] = ContextVar("vigil_shown", default=None)


@contextlib.contextmanager
def collecting() -> Iterator[Shown]:
    """Collect what is loaded inside the block (a request)."""
    shown = Shown()
    token = _shown.set(shown)
    try:
        yield shown
    finally:
        _shown.reset(token)


def note(obj) -> None:
    """Note a record as shown by the current request (nothing outside a request)."""
    shown = _shown.get()
    if shown is None or obj.pk is None:
        return
    values = obj.__dict__
    if obj._meta.label == "casework.Case":
        shown.cases.add(obj.pk)  # restricted or not: one lookup per response, whatever the page holds
    elif getattr(obj, "case_path", None) == "case" and values.get("case_id") is not None:
        shown.case_ids.add(values["case_id"])
    elif _may_belong_to_a_case(type(obj)):
        shown.records.setdefault(type(obj), set()).add(obj.pk)


_BELONGS: dict[type, bool] = {}


def _may_belong_to_a_case(model) -> bool:
    """Whether records of ``model`` can hold a case's content: what hangs off a case,
    people and what hangs off them, citations and sources (not governments)."""
    if model not in _BELONGS:
        label = model._meta.label
        _BELONGS[model] = bool(
            getattr(model, "case_path", None)
            or label in ("people.Person", "events.Citation", "events.Source")
            or any(field.name == "person" for field in model._meta.concrete_fields)
        )
    return _BELONGS[model]


def note_records(model, ids) -> None:
    """Note records of ``model`` a response showed without loading them as instances
    (read as plain values: events.timeline.rows), as ``note`` would have."""
    shown = _shown.get()
    ids = {pk for pk in ids if pk is not None}
    if shown is not None and ids:
        shown.records.setdefault(model, set()).update(ids)
