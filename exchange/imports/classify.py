"""Classifying a row: create, update, link, skip or error, with its reasons (the dry run's core)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from casework.models import (
    Case,
)
from core.dates import DatePrecision
from exchange.imports.common import CREATE, ERROR, LINK, PERSON_FIELDS, SKIP, UPDATE, Context, Outcome
from exchange.imports.write import apply_row as _apply
from exchange.mappings import ParsedRow, parse_row
from exchange.models import ImportedRecord, ImportMode
from people.duplicates import STRONG_SCORE, Draft, candidates_for
from people.models import Person, PersonIdentifier
from people.names import name_keys


def _outcomes(context: Context, rows, *, skip_rows: int = 0) -> Iterator[Outcome]:
    for index, (number, raw) in enumerate(rows):
        if index < skip_rows:  # committed before a stop: only its digest, to spot a repeat
            context.seen_rows.setdefault(_row_digest(parse_row(context.mapping, number, raw)), number)
            continue
        yield classify(context, parse_row(context.mapping, number, raw, today=context.today))


def _row_digest(row: ParsedRow) -> bytes:
    text = "\x1f".join(f"{k}={v.strip()}" for k, v in sorted(row.raw.items()))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _person_keys(row: ParsedRow) -> list[str]:
    keys = [
        f"id:{target.rsplit('.', 1)[1]}:{str(value).casefold()}"
        for target, value in row.values.items()
        if target.startswith("person.identifier.")
    ]
    name = row.get("person.display_name")
    if name:
        birth = row.get("person.birth")
        exact = [k for k in name_keys(name) if k.startswith("x:")]
        keys += [f"{key}|{birth.value if birth else ''}" for key in exact]
    return keys


def classify(context: Context, row: ParsedRow) -> Outcome:
    """Classify a row and, when ``context.write``, carry it out (inside the caller's chunk transaction)."""
    outcome = Outcome(row=row.number, action=CREATE, warnings=row.warnings)
    if row.is_empty:
        outcome.action, outcome.reasons = SKIP, ["empty row"]
        return outcome
    digest = _row_digest(row)
    if digest in context.seen_rows:
        outcome.action, outcome.reasons = SKIP, [f"the same as row {context.seen_rows[digest]}"]
        return outcome
    outcome.errors = list(row.errors)
    case = _resolve_case(context, row, outcome)
    person = _resolve_person(context, row, outcome)
    _check_links(row, case, person, outcome)
    if outcome.errors:
        outcome.action = ERROR
        return outcome
    if outcome.action == CREATE and context.batch.mode == ImportMode.UPDATE_ONLY:
        outcome.action, outcome.reasons = SKIP, ["update only: no new people"]
        return outcome
    if context.write:
        try:
            with transaction.atomic():
                person = _apply(context, row, case, person, outcome)
                ImportedRecord.objects.bulk_create(context.tracked)
        except (ValidationError, DatabaseError) as error:
            outcome.action = ERROR
            messages = error.messages if isinstance(error, ValidationError) else [str(error).splitlines()[0]]
            outcome.errors = [{"column": "", "field": "", "message": m} for m in messages]
            return outcome
        finally:
            context.tracked.clear()
    context.seen_rows[digest] = row.number
    for key in _person_keys(row):
        context.people_by_key.setdefault(key, (row.number, person.pk if person and person.pk else None))
    return outcome


def _resolve_case(context: Context, row: ParsedRow, outcome: Outcome) -> Case | None:
    reference = context.options.get("case") or row.get("case.reference")
    title = row.get("case.title")
    key = f"ref:{reference}" if reference else f"title:{title}" if title else ""
    if not key:
        return None
    if key not in context.cases:
        visible = Case.objects.visible_to(context.user)
        if reference:
            context.cases[key] = visible.filter(reference=reference.strip().upper()).first()
        else:
            context.cases[key] = visible.filter(title=title).order_by("id").first()
    case = context.cases[key]
    if case is None and reference:
        outcome.errors.append(
            {"column": "", "field": "case.reference", "message": f"No case {reference} that you may see."}
        )
    elif case is None:
        outcome.what.append(f"new case “{title}”")
    return case


def _resolve_person(context: Context, row: ParsedRow, outcome: Outcome) -> Person | None:
    """The existing person the row is about (update or link), or None (create)."""
    if not any(key.startswith("person.") for key in row.values):
        outcome.action = LINK if row.values else SKIP
        return None
    for key in _person_keys(row):
        if key in context.people_by_key:
            earlier_row, person_id = context.people_by_key[key]
            outcome.action, outcome.reasons = LINK, [f"the same person as row {earlier_row}"]
            person = Person.objects.filter(pk=person_id).first() if person_id else Person(display_name="")
            return person
    visible_identifiers = PersonIdentifier.objects.visible_to(context.user).select_related("person")
    for target, value in row.values.items():
        if target.startswith("person.identifier."):
            kind = target.rsplit(".", 1)[1]
            found = visible_identifiers.filter(kind=kind, value__iexact=value).first()
            if found:
                outcome.reasons = [f"same {found.get_kind_display()} {found.value}"]
                return _update_or_link(row, found.person, outcome)
    names = [n for n in (row.get("person.display_name"), row.get("person.name_original")) if n]
    if not names:
        if any(e["field"] in ("person.names", "person.display_name") for e in outcome.errors):
            return None  # the name's own error says it
        outcome.errors.append(
            {
                "column": "",
                "field": "person.display_name",
                "message": "No one has this identifier: a new person needs a name.",
            }
        )
        return None
    birth = row.get("person.birth")
    draft = Draft(
        names=[*names, *row.get("person.other_names", [])],
        birth_date=birth.value if birth else None,
        birth_precision=birth.precision if birth else DatePrecision.UNKNOWN,
        nationality=row.get("person.nationality", ""),
        places=[row.get("detention.facility")] if row.get("detention.facility") else [],
    )
    found = candidates_for(draft=draft, user=context.user, limit=3)
    if found and found[0].score >= STRONG_SCORE:
        outcome.reasons = found[0].reasons
        return _update_or_link(row, found[0].person, outcome, overwrite=False)
    outcome.action = CREATE
    outcome.what.insert(0, "person")
    if found:
        best = found[0]
        outcome.warnings.append(
            f"Possible duplicate of {best.person} (#{best.person.pk}, score {best.score}: {', '.join(best.reasons)})."
        )
    return None


def _update_or_link(row: ParsedRow, person: Person, outcome: Outcome, *, overwrite: bool = True) -> Person:
    """UPDATE when the row changes the person's fields (identifier match), LINK otherwise."""
    outcome.person = person
    changes = []
    if overwrite:
        for target, name in PERSON_FIELDS.items():
            value = row.get(target)
            if value in (None, "") or str(getattr(person, name) or "") == str(value):
                continue
            changes.append(f"{name}: “{getattr(person, name) or ''}” → “{value}”")
        birth = row.get("person.birth")
        if birth and (birth.value, birth.precision) != (person.birth_date, person.birth_date_precision):
            changes.append(f"birth_date: “{person.birth}” → “{birth}”")
    outcome.action, outcome.changes = (UPDATE if changes else LINK), changes
    return person


def _check_links(row: ParsedRow, case: Case | None, person: Person | None, outcome: Outcome) -> None:
    needs_case = [t for t in ("request.category", "request.summary", "note.body") if row.get(t)]
    has_case = case is not None or row.get("case.title")
    if needs_case and not has_case:
        outcome.errors.append(
            {
                "column": "",
                "field": needs_case[0],
                "message": "A request or a note needs a case: map a case column or choose the case for the whole file.",
            }
        )
    for prefix, label in (("detention.", "detention"), ("request.", "request"), ("note.", "note")):
        if any(k.startswith(prefix) for k in row.values):
            outcome.what.append(label)
