"""Sentences kept as a code and its values, written in the reader's language when read.

Text written outside a request (a job's notification, an alert, a duplicate's
reasons, an import's progress) is read later by others, each in their own
language and time zone. So what is stored is ``{"m": code, "p": {name: value}}``
and ``render`` writes it at display time. A value is kept as it is (a name, a
title: data), or typed so it is written the reader's way:

- ``{"choice": key, "value": v}``: the label of ``v`` in a registered choices class;
- ``{"date": "2025-02-17"}``: a day, written the reader's way;
- ``{"fuzzy": "2025-02-01", "precision": "month"}``: a reported date ("2025년 2월");
- ``{"number": 12345}``: a count with the reader's digit grouping;
- ``{"m": code, "p": {...}}``: another phrase;
- ``{"list": [value, ...], "sep": ", "}``: values (each typed as above) joined.

Each app registers its phrases (``register``) and choices (``register_choices``)
in one place (watch/phrases.py, people/reasons.py); a code unknown at display
time (an older row) is shown as stored.
"""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.text import capfirst

#: code -> a lazy msgid (gettext_lazy, or ngettext_lazy with the name of the value that counts).
PHRASES: dict[str, object] = {}
CHOICES: dict[str, type] = {}


_DISCOVERED: list[bool] = []


def _discover() -> None:
    """Each app registers its phrases in its ``phrases`` or ``tasks`` module: import them once."""
    from django.utils.module_loading import autodiscover_modules

    _DISCOVERED.append(True)
    autodiscover_modules("phrases", "tasks")


def register(phrases: dict[str, object]) -> None:
    PHRASES.update(phrases)


def register_choices(choices: dict[str, type]) -> None:
    CHOICES.update(choices)


def phrase(code: str, **params) -> dict:
    """What to store: the code and its values (typed with ``choice``, ``day``, ``fuzzy``)."""
    return {"m": code, "p": params}


def choice(key: str, value, *, capfirst: bool = False) -> dict:
    """A choice's value, written as its label (``capfirst``: at the start of a sentence)."""
    return {"choice": key, "value": value, **({"capfirst": True} if capfirst else {})}


def day(value: datetime.date) -> dict:
    return {"date": value.isoformat()}


def fuzzy(value) -> dict:
    """A FuzzyDate (or ReportedDate) kept with its precision."""
    return {"fuzzy": value.value.isoformat() if value.value else None, "precision": value.precision}


def as_text(stored) -> str:
    """A phrase kept in a text column (a background work's message): its JSON; a string as it is."""
    import json

    return json.dumps(stored, ensure_ascii=False, separators=(",", ":")) if isinstance(stored, dict) else stored


def from_text(text: str) -> str:
    """The text column written by ``as_text``, in the current language."""
    import json

    if text.startswith('{"m":'):
        try:
            return render(json.loads(text))
        except ValueError:
            return text
    return text


def number(value: int) -> dict:
    """A count written with the reader's digit grouping ("12,345", "12 345")."""
    return {"number": value}


def listing(values, sep: str = ", ") -> dict:
    """Several values (each a phrase, a choice, data...) written one after another."""
    return {"list": list(values), "sep": sep}


def _value(value):
    if not isinstance(value, dict):
        return value
    if "list" in value:
        return value.get("sep", ", ").join(str(_value(item)) for item in value["list"])
    if "number" in value:
        from django.utils.formats import number_format

        return number_format(value["number"], force_grouping=True)
    if "m" in value:
        return render(value)
    if "choice" in value:
        choices = CHOICES.get(value["choice"])
        try:
            label = str(choices(value["value"]).label) if choices else str(value["value"])
        except ValueError:
            label = str(value["value"])
        return capfirst(label) if value.get("capfirst") else label
    if "date" in value:
        return date_format(datetime.date.fromisoformat(value["date"]), "DATE_FORMAT")
    if "fuzzy" in value:
        from django.utils.translation import get_language

        from core.dates import FuzzyDate

        when = datetime.date.fromisoformat(value["fuzzy"]) if value["fuzzy"] else None
        return FuzzyDate(when, value["precision"]).written(get_language())
    return str(value)


def render(stored) -> str:
    """``stored`` (a phrase, or a plain string kept before phrases) in the current language."""
    if not isinstance(stored, dict):
        return str(stored or "")
    template = PHRASES.get(stored.get("m", ""))
    if template is None and not _DISCOVERED:
        _discover()
        template = PHRASES.get(stored.get("m", ""))
    params = {name: _value(value) for name, value in (stored.get("p") or {}).items()}
    if template is None:
        return " ".join(str(value) for value in [stored.get("m", ""), *params.values()] if value)
    return str(template % params) if params else str(template)
