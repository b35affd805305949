"""Mappings: which column of a file goes to which field, and how its text is read.

A mapping is JSON, the same in the dashboard (saved by name), the API and the
command line (a file)::

    {
      "columns": {
        "Name": {"field": "person.names", "split": "/"},
        "Born": "person.birth",
        "Status": {"field": "person.status", "choices": {"held": "in_detention"}},
        "ICRC no.": "person.identifier.icrc",
        "Case": "case.reference",
        "Request": {"field": "request.category", "choices": {"meds": "medicine"}},
        "Request status": "request.status",
        "Note": "note.body"
      }
    }

A column may be given as the field alone or as an object with ``field`` and
the transform's options: ``split`` (the separator between names in several
scripts, "Kim Hyok / 김혁"), ``choices`` (free text → a choice's value). Dates
are read with their precision ("17 Jan 2025" day, "Jan 2025" month, "Q4 2024"
quarter, "2025" year, "2025?" an uncertain year); countries by code or name.

``parse_row`` turns one row into typed values and a list of every error of
the row, field by field: it never stops at the first.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django_countries import countries

from casework.models import RequestCategory, RequestStatus
from core.dates import DatePrecision, normalise
from core.phrases import fuzzy, phrase
from exchange.readers import FORMULA
from people.models import IdentifierKind, LegalStatus, PersonStatus, Sex

TEXT, NAME, NAMES, DATE, COUNTRY, CHOICE = "text", "name", "names", "date", "country", "choice"

#: Every field a column can fill: target → (kind, choices, maximum length).
TARGETS: dict[str, tuple[str, type | None, int]] = {
    "person.names": (NAMES, None, 200),
    "person.display_name": (NAME, None, 200),
    "person.name_original": (NAME, None, 200),
    "person.other_names": (NAMES, None, 200),
    "person.sex": (CHOICE, Sex, 0),
    "person.birth": (DATE, None, 0),
    "person.age_estimate": (TEXT, None, 40),
    "person.place_of_birth": (TEXT, None, 200),
    "person.nationality": (COUNTRY, None, 0),
    "person.legal_status": (CHOICE, LegalStatus, 0),
    "person.status": (CHOICE, PersonStatus, 0),
    "person.description": (TEXT, None, 5000),
    "person.rank": (TEXT, None, 100),
    "person.unit": (TEXT, None, 200),
    **{f"person.identifier.{kind}": (TEXT, None, 100) for kind in IdentifierKind.values},
    "case.reference": (TEXT, None, 20),
    "case.title": (TEXT, None, 300),
    "detention.facility": (TEXT, None, 200),
    "detention.locality": (TEXT, None, 200),
    "detention.region": (TEXT, None, 100),
    "detention.country": (COUNTRY, None, 0),
    "detention.started": (DATE, None, 0),
    "detention.ended": (DATE, None, 0),
    "request.category": (CHOICE, RequestCategory, 0),
    "request.summary": (TEXT, None, 300),
    "request.words": (TEXT, None, 5000),
    "request.status": (CHOICE, RequestStatus, 0),
    "request.first_stated": (DATE, None, 0),
    "note.body": (TEXT, None, 10000),
    "skip": (TEXT, None, 0),
}

#: How people write countries that their official names do not cover.
COUNTRY_ALIASES = {
    "dprk": "KP", "north korea": "KP", "n. korea": "KP", "korea, north": "KP", "북한": "KP", "조선": "KP",
    "rok": "KR", "south korea": "KR", "s. korea": "KR", "korea, south": "KR", "korea": "KR", "한국": "KR",
    "russia": "RU", "russian federation": "RU", "россия": "RU", "ukraine": "UA", "україна": "UA", "украина": "UA",
    "uk": "GB", "usa": "US", "us": "US", "prc": "CN", "china": "CN",
}  # fmt: skip

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        datetime.date(2000, number, 1).strftime("%B").lower(),
        datetime.date(2000, number, 1).strftime("%b").lower(),
    )
} | {"sept": 9}

DATE_HELP = "write e.g. 2025-01-17, 17 Jan 2025, Jan 2025, Q4 2024, 2025 or 2025? (uncertain)"


@dataclass
class Column:
    name: str
    target: str
    split: str = ""
    choices: dict[str, str] = field(default_factory=dict)


@dataclass
class Mapping:
    columns: list[Column]

    @property
    def targets(self) -> set[str]:
        return {c.target for c in self.columns}


def load_mapping(spec, *, columns: list[str] | None = None) -> Mapping:
    """A mapping from its JSON form, every problem listed (ValidationError by field)."""
    problems: dict[str, list[str]] = {}
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict) or not spec["columns"]:
        raise ValidationError({"columns": gettext('A mapping is an object with "columns": {"column": "field", ...}.')})
    loaded = []
    for name, entry in spec["columns"].items():
        entry = {"field": entry} if isinstance(entry, str) else entry
        if not isinstance(entry, dict) or entry.get("field") not in TARGETS:
            problems.setdefault(name, []).append(
                gettext("“%(field)s” is not a field a column can fill.")
                % {"field": entry.get("field") if isinstance(entry, dict) else entry}
            )
            continue
        kind, choice_type, _length = TARGETS[entry["field"]]
        choices = entry.get("choices") or {}
        if not isinstance(choices, dict):
            problems.setdefault(name, []).append(gettext("choices must be an object: free text → value."))
            continue
        bad = [value for value in choices.values() if choice_type is None or value not in choice_type.values]
        if bad:
            allowed = ", ".join(choice_type.values) if choice_type else gettext("none: this field has no choices")
            problems.setdefault(name, []).append(
                gettext("Not a choice of %(field)s: %(values)s (allowed: %(allowed)s).")
                % {"field": entry["field"], "values": ", ".join(map(str, bad)), "allowed": allowed}
            )
        split = entry.get("split", "/" if kind == NAMES else "")
        loaded.append(Column(name=name, target=entry["field"], split=split, choices=_folded(choices)))
    if columns is not None:
        missing = [c.name for c in loaded if c.name not in columns]
        if missing:
            problems.setdefault("columns", []).append(
                gettext("Not in the file: %(columns)s.") % {"columns": ", ".join(missing)}
            )
    targets = [c.target for c in loaded if c.target != "skip"]
    twice = sorted({t for t in targets if targets.count(t) > 1 and not t.startswith(("person.other_names", "note."))})
    if twice:
        problems.setdefault("columns", []).append(
            gettext("Filled by two columns: %(fields)s.") % {"fields": ", ".join(twice)}
        )
    if problems:
        raise ValidationError(problems)
    return Mapping(columns=loaded)


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _folded(choices: dict[str, str]) -> dict[str, str]:
    return {_fold(key): value for key, value in choices.items()}


# --------------------------------------------------------------- transforms


@dataclass
class ReportedDate:
    value: datetime.date | None
    precision: str
    uncertain: bool = False

    def __str__(self) -> str:
        from core.dates import FuzzyDate

        return f"{FuzzyDate(self.value, self.precision)}{'?' if self.uncertain else ''}"


def _day(year: int, month: int, day: int, text: str) -> ReportedDate:
    try:
        return ReportedDate(datetime.date(year, month, day), DatePrecision.DAY)
    except ValueError:
        month_name = datetime.date(2000, month, 1).strftime("%B") if 1 <= month <= 12 else f"month {month}"
        raise ValueError(f"“{text}”: {day} {month_name} {year} is not a date.") from None


def parse_date(text: str, *, today: datetime.date | None = None) -> ReportedDate | None:
    """A reported date with its precision, or None for an empty or unknown one."""
    raw = text.strip()
    folded = raw.casefold().strip()
    if folded in {"", "unknown", "?", "n/a", "-", "unk"}:
        return None
    uncertain = folded.endswith("?") or folded.startswith(("c.", "ca.", "circa ", "about "))
    folded = re.sub(r"^(c\.|ca\.|circa|about)\s*", "", folded.rstrip("?").strip())
    found = _read_date(folded, raw)
    found.uncertain = uncertain
    today = today or datetime.date.today()
    if found.value and found.value > today:
        raise ValueError(f"“{raw}” is in the future.")
    return found


def _read_date(folded: str, raw: str) -> ReportedDate:
    if m := re.fullmatch(r"(\d{4})", folded):
        return ReportedDate(datetime.date(int(m[1]), 1, 1), DatePrecision.YEAR)
    if m := re.fullmatch(r"q([1-4])[\s/-]*(\d{4})", folded) or re.fullmatch(r"(\d{4})[\s/-]*q([1-4])", folded):
        quarter, year = (int(m[1]), int(m[2])) if folded.startswith("q") else (int(m[2]), int(m[1]))
        return ReportedDate(datetime.date(year, 3 * quarter - 2, 1), DatePrecision.QUARTER)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", folded):
        return _day(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", folded):  # day first, as outside the US
        return _day(int(m[3]), int(m[2]), int(m[1]), raw)
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})", folded) or re.fullmatch(r"(\d{1,2})[-/.](\d{4})", folded):
        year, month = (int(m[1]), int(m[2])) if len(m[1]) == 4 else (int(m[2]), int(m[1]))
        if 1 <= month <= 12:
            return ReportedDate(datetime.date(year, month, 1), DatePrecision.MONTH)
    if (m := re.fullmatch(r"([a-z]+)\.?,?\s+(\d{4})", folded)) and m[1] in MONTHS:
        return ReportedDate(datetime.date(int(m[2]), MONTHS[m[1]], 1), DatePrecision.MONTH)
    if (m := re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})", folded)) and m[2] in MONTHS:
        return _day(int(m[3]), MONTHS[m[2]], int(m[1]), raw)
    if (m := re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", folded)) and m[1] in MONTHS:
        return _day(int(m[3]), MONTHS[m[1]], int(m[2]), raw)
    if m := re.fullmatch(r"(\d{4})년\s*(\d{1,2})월(?:\s*(\d{1,2})일)?", folded):
        if m[3]:
            return _day(int(m[1]), int(m[2]), int(m[3]), raw)
        return ReportedDate(datetime.date(int(m[1]), int(m[2]), 1), DatePrecision.MONTH)
    raise ValueError(f"“{raw}” is not a date Vigil can read: {DATE_HELP}.")


def parse_country(text: str) -> str:
    raw = text.strip()
    if not raw:
        return ""
    folded = _fold(raw)
    code = COUNTRY_ALIASES.get(folded) or countries.alpha2(raw) or countries.by_name(raw, insensitive=True)
    if not code:
        raise ValueError(f"“{raw}” is not a country Vigil knows: write its name or ISO code (KP, KR, UA).")
    return code


def parse_choice(text: str, choice_type, translations: dict[str, str], column: str) -> str:
    folded = _fold(text)
    if folded in translations:
        return translations[folded]
    for value, label in choice_type.choices:
        if folded in (_fold(value), _fold(str(label))):
            return value
    allowed = ", ".join(choice_type.values)
    raise ValueError(
        f"“{text.strip()}” is not one of {allowed}, and the mapping does not translate it: "
        f'add it to the choices of the column "{column}".'
    )


_MARKUP = re.compile(r"[<>{}\x00-\x1f\x7f]")


def check_name(text: str) -> str:
    name = unicodedata.normalize("NFC", text.strip())
    if _MARKUP.search(name):
        raise ValueError(f"“{name[:60]}” holds markup or control characters: a name is letters, spaces and - ' .")
    if name.startswith(("=", "+", "@")):
        raise ValueError(f"“{name[:60]}” starts like a spreadsheet formula.")
    return name


def is_latin(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


@dataclass
class ParsedRow:
    """One row read through a mapping: typed values by target, every error, warnings."""

    number: int
    raw: dict[str, str]
    values: dict[str, object] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(value.strip() for value in self.raw.values())

    def error(self, column: str, target: str, message: str) -> None:
        self.errors.append({"column": column, "field": target, "message": message})

    def get(self, target: str, default=None):
        return self.values.get(target, default)


def parse_row(mapping: Mapping, number: int, raw: dict[str, str], *, today: datetime.date | None = None) -> ParsedRow:
    row = ParsedRow(number=number, raw=raw)
    for column in mapping.columns:
        text = raw.get(column.name, "") or ""
        if column.target == "skip":
            continue
        if text == FORMULA:
            row.error(column.name, column.target, gettext("The cell holds a formula: paste its value instead."))
            continue
        if not text.strip():
            continue
        kind, choice_type, length = TARGETS[column.target]
        try:
            if kind == NAMES:
                parts = [check_name(part) for part in text.split(column.split) if part.strip()]
                _assign_names(row, column.target, parts)
                continue
            if kind == NAME:
                value = check_name(text)
            elif kind == DATE:
                value = parse_date(text, today=today)
                if value and value.uncertain:
                    row.warnings.append(
                        phrase("import-uncertain-date", column=column.name, text=text.strip(), value=fuzzy(value))
                    )
            elif kind == COUNTRY:
                value = parse_country(text)
            elif kind == CHOICE:
                value = parse_choice(text, choice_type, column.choices, column.name)
            else:
                value = text.strip()
            if length and isinstance(value, str) and len(value) > length:
                raise ValueError(f"Longer than {length} characters ({len(value)}).")
        except ValueError as error:
            row.error(column.name, column.target, str(error))
            continue
        if column.target == "note.body" and "note.body" in row.values:
            value = f"{row.values['note.body']}\n\n{value}"
        row.values[column.target] = value
    _check_consistency(row)
    return row


def _assign_names(row: ParsedRow, target: str, parts: list[str]) -> None:
    others = list(row.values.get("person.other_names", []))
    if target == "person.other_names":
        row.values["person.other_names"] = others + parts
        return
    latin = [p for p in parts if is_latin(p)]
    original = [p for p in parts if not is_latin(p)]
    if latin:
        row.values["person.display_name"] = latin[0]
    if original:
        row.values["person.name_original"] = original[0]
    if not latin and original:
        row.values["person.display_name"] = original[0]
    row.values["person.other_names"] = others + latin[1:] + original[1:]


def _check_consistency(row: ParsedRow) -> None:
    started, ended = row.get("detention.started"), row.get("detention.ended")
    if (
        started
        and ended
        and started.value
        and ended.value
        and normalise(ended.value, ended.precision) < normalise(started.value, started.precision)
    ):
        row.error("", "detention.ended", gettext("The detention ends before it starts."))
    has_request = any(key.startswith("request.") for key in row.values)
    if has_request and "request.category" not in row.values and "request.summary" not in row.values:
        row.error("", "request.category", "A request needs its category or a summary.")
    has_person_data = any(key.startswith(("person.", "detention.", "request.")) for key in row.values)
    named_badly = any(e["field"] in ("person.names", "person.display_name") for e in row.errors)
    if has_person_data and not row.get("person.display_name") and not named_badly:
        identifiers = [k for k in row.values if k.startswith("person.identifier.")]
        if not identifiers:
            row.error("", "person.display_name", gettext("The row names no one: give a name or an identifier."))
