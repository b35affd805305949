"""Classifying a row: create, update, link, skip or error, with its reasons (the dry run's core)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext

from casework.models import (
    Case,
)
from core.phrases import choice, phrase
from exchange.imports.common import CREATE, ERROR, LINK, PERSON_FIELDS, SKIP, UPDATE, Context, Outcome
from exchange.imports.lookups import MISSING, case_key, draft_of, identifier_keys, look_up, whole_keys
from exchange.imports.write import apply_row as _apply
from exchange.imports.write import flush
from exchange.mappings import ParsedRow, parse_row
from exchange.models import ImportMode
from exchange.phrases import duplicate_reasons
from people.duplicates import STRONG_SCORE, candidates_for
from people.models import Person, PersonIdentifier
from people.names import name_keys


def _outcomes(context: Context, rows, *, skip_rows: int = 0) -> Iterator[Outcome]:
    for _row, outcome in classified(context, rows, skip_rows=skip_rows):
        yield outcome


def classified(context: Context, rows, *, skip_rows: int = 0) -> Iterator[tuple[ParsedRow, Outcome]]:
    """(row, outcome) for each row, read and looked up a chunk (``VIGIL_IMPORT_CHUNK_ROWS``) at a time."""
    for chunk in chunks(context, rows, skip_rows=skip_rows):
        yield from classify_chunk(context, chunk)


def chunks(context: Context, rows, *, skip_rows: int = 0) -> Iterator[list[ParsedRow]]:
    """The rows parsed, ``VIGIL_IMPORT_CHUNK_ROWS`` at a time, after the first ``skip_rows``."""
    size = max(1, settings.VIGIL_IMPORT_CHUNK_ROWS)
    chunk: list[ParsedRow] = []
    for index, (number, raw) in enumerate(rows):
        if index < skip_rows:  # committed before a stop: only its digest, to spot a repeat
            context.seen_rows.setdefault(_row_digest(parse_row(context.mapping, number, raw)), number)
            continue
        chunk.append(parse_row(context.mapping, number, raw, today=context.today))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class ChunkFailed(Exception):
    """A row failed to write while its chunk ran without a savepoint per row: the chunk is
    rolled back and written again row by row, so the failing row gets its own error."""


def classify_chunk(context: Context, chunk: list[ParsedRow]) -> Iterator[tuple[ParsedRow, Outcome]]:
    look_up(context, chunk, _person_keys)
    for row in chunk:
        yield row, classify(context, row)


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
        outcome.action, outcome.reasons = SKIP, [phrase("import-empty-row")]
        return outcome
    digest = _row_digest(row)
    if digest in context.seen_rows:
        outcome.action, outcome.reasons = SKIP, [phrase("import-same-row", row=context.seen_rows[digest])]
        return outcome
    outcome.errors = list(row.errors)
    case = _resolve_case(context, row, outcome)
    person = _resolve_person(context, row, outcome)
    _check_links(row, case, person, outcome)
    if outcome.errors:
        outcome.action = ERROR
        return outcome
    if outcome.action == CREATE and context.batch.mode == ImportMode.UPDATE_ONLY:
        outcome.action, outcome.reasons = SKIP, [phrase("import-update-only")]
        return outcome
    if context.write:
        try:
            with transaction.atomic(savepoint=context.row_savepoints):
                person = _apply(context, row, case, person, outcome)
            context.pending.extend(context.tracked)  # saved with the chunk (exchange/imports/commit.py)
        except (ValidationError, DatabaseError) as error:
            if not context.row_savepoints:
                raise ChunkFailed(row.number) from error
            outcome.action = ERROR
            messages = error.messages if isinstance(error, ValidationError) else [str(error).splitlines()[0]]
            outcome.errors = [{"column": "", "field": "", "message": m} for m in messages]
            return outcome
        finally:
            context.tracked.clear()
    context.seen_rows[digest] = row.number
    if context.write and person is not None and person.pk:
        context.touched_people.add(person.pk)
        context.touched_keys |= whole_keys(row)
        if context.deferred or context.updated:
            context.unflushed_keys |= whole_keys(row)
    for key in _person_keys(row):
        context.people_by_key.setdefault(key, (row.number, person.pk if person and person.pk else None))
    return outcome


def _resolve_case(context: Context, row: ParsedRow, outcome: Outcome) -> Case | None:
    key, reference, title = case_key(context, row)
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
            {
                "column": "",
                "field": "case.reference",
                "message": gettext("No case %(reference)s that you may see.") % {"reference": reference},
            }
        )
    elif case is None:
        outcome.what.append(phrase("import-new-case", title=title))
    return case


def _resolve_person(context: Context, row: ParsedRow, outcome: Outcome) -> Person | None:
    """The existing person the row is about (update or link), or None (create)."""
    if not any(key.startswith("person.") for key in row.values):
        outcome.action = LINK if row.values else SKIP
        return None
    for key in _person_keys(row):
        if key in context.people_by_key:
            earlier_row, person_id = context.people_by_key[key]
            outcome.action, outcome.reasons = LINK, [phrase("import-same-person-row", row=earlier_row)]
            if not person_id:
                person = Person(display_name="")
            elif person_id in context.people and person_id not in context.touched_people:
                person = context.people[person_id]
            elif person_id in context.created:  # made by this chunk, maybe not inserted yet
                person = context.created[person_id]
            elif person_id in context.updated:  # changed by this chunk, maybe not saved yet
                person = context.updated[person_id]
            else:
                person = Person.objects.filter(pk=person_id).first()
            return person
    for kind, key, value in identifier_keys(row):
        found = context.identifiers.get((kind, key), MISSING)
        if found is MISSING or (found is not None and found.person_id in context.touched_people):
            flush(context)  # what the chunk's rows wrote, for the query to see
            visible = PersonIdentifier.objects.visible_to(context.user).select_related("person")
            found = visible.filter(kind=kind, value__iexact=value).first()
        if found:
            outcome.reasons = [
                phrase("import-same-identifier", kind=choice("identifier_kind", found.kind), value=found.value)
            ]
            return _update_or_link(row, found.person, outcome)
    draft = draft_of(row)
    if draft is None:
        if any(e["field"] in ("person.names", "person.display_name") for e in outcome.errors):
            return None  # the name's own error says it
        outcome.errors.append(
            {
                "column": "",
                "field": "person.display_name",
                "message": gettext("No one has this identifier: a new person needs a name."),
            }
        )
        return None
    found = context.candidates.get(row.number)
    stale = context.touched_keys and (
        draft.whole_keys & context.touched_keys or any(c.person.pk in context.touched_people for c in found or ())
    )
    if found is None or stale:
        if draft.whole_keys & context.unflushed_keys:
            flush(context)  # a person this chunk made and not yet inserted may be the one
        found = candidates_for(draft=draft, user=context.user, limit=3)
    if found and found[0].score >= STRONG_SCORE:
        outcome.reasons = found[0].reasons
        return _update_or_link(row, found[0].person, outcome, overwrite=False)
    outcome.action = CREATE
    outcome.what.insert(0, phrase("import-person"))
    if found:
        best = found[0]
        outcome.warnings.append(
            phrase(
                "import-possible-duplicate",
                person=str(best.person),
                id=best.person.pk,
                score=best.score,
                reasons=duplicate_reasons(best.reasons),
            )
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
            changes.append(
                phrase(
                    "import-change",
                    field=choice("person_field", name),
                    was=str(getattr(person, name) or ""),
                    now=str(value),
                )
            )
        birth = row.get("person.birth")
        if birth and (birth.value, birth.precision) != (person.birth_date, person.birth_date_precision):
            changes.append(
                phrase(
                    "import-change", field=choice("person_field", "birth_date"), was=str(person.birth), now=str(birth)
                )
            )
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
                "message": gettext(
                    "A request or a note needs a case: map a case column or choose the case for the whole file."
                ),
            }
        )
    for prefix in ("detention", "request", "note"):
        if any(k.startswith(f"{prefix}.") for k in row.values):
            outcome.what.append(phrase(f"import-{prefix}"))
