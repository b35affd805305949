"""What every step of an import shares: the row's outcome, a pass's context, the options."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from casework.models import (
    Case,
)
from exchange.imports.memory import RowMemory
from exchange.mappings import Mapping
from exchange.models import ImportBatch, ImportedRecord
from exchange.readers import open_sheet
from people.models import Person

PERMISSION = "exchange.import_records"
REPORT_ROWS = 2000  # rows the batch keeps for the browser; the rejected-rows file has them all

CREATE, UPDATE, LINK, SKIP, ERROR = "create", "update", "link", "skip", "error"
ACTIONS = (CREATE, UPDATE, LINK, SKIP, ERROR)

PERSON_FIELDS = {
    "person.display_name": "display_name",
    "person.name_original": "name_original",
    "person.sex": "sex",
    "person.age_estimate": "age_estimate",
    "person.place_of_birth": "place_of_birth",
    "person.nationality": "nationality",
    "person.legal_status": "legal_status",
    "person.status": "status",
    "person.description": "description",
    "person.rank": "rank",
    "person.unit": "unit",
}


@dataclass
class Outcome:
    """What a row does (or would do)."""

    row: int
    action: str
    what: list[str] = field(default_factory=list)
    person: Person | None = None
    reasons: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        person = {"id": self.person.pk, "name": str(self.person)} if self.person and self.person.pk else None
        return {
            "row": self.row,
            "action": self.action,
            "what": self.what,
            "person": person,
            "reasons": self.reasons,
            "changes": self.changes,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass
class Known:
    """What a person the import writes to already has (exchange/imports/lookups.py ``known_of``)."""

    names: set[str] = field(default_factory=set)  # other names
    identifiers: set[tuple[str, str]] = field(default_factory=set)  # (kind, value in upper case)
    detentions: set[tuple] = field(default_factory=set)  # (facility, started_on, ended_on)
    cases: set[int] = field(default_factory=set)  # as a subject
    requests: dict[tuple, object] = field(default_factory=dict)  # (case id, category, summary) → request


@dataclass
class Context:
    """What one pass over a file remembers: the options, the cases it resolved, the
    rows it has seen and the people earlier rows named."""

    user: object
    batch: ImportBatch
    mapping: Mapping
    write: bool
    today: datetime.date = field(default_factory=datetime.date.today)
    seen_rows: RowMemory = field(default_factory=RowMemory)  # digest → row (exchange/imports/memory.py)
    people_by_key: RowMemory = field(default_factory=lambda: RowMemory(pairs=True))  # key → (row, person id)
    cases: dict[str, Case | None] = field(default_factory=dict)
    tracked: list[ImportedRecord] = field(default_factory=list)  # what the current row wrote
    pending: list[ImportedRecord] = field(default_factory=list)  # what the chunk's rows wrote, saved with it
    # Looked up once per chunk (exchange/imports/lookups.py): identifiers, candidates by row number.
    identifiers: dict[tuple[str, str], object] = field(default_factory=dict)
    candidates: dict[int, list] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)  # earlier rows' people the chunk links to
    # Committing: what rows of this chunk wrote since its lookups (they then look again).
    touched_keys: set[str] = field(default_factory=set)
    touched_people: set[int] = field(default_factory=set)
    requests_created: set[int] = field(default_factory=set)  # by this pass (their status changes go with them)
    known: dict[int, Known] = field(default_factory=dict)  # person id → what they have (this chunk)
    deferred: list[tuple[int, object]] = field(default_factory=list)  # (row, record) saved at the chunk's end
    status_changes: list = field(default_factory=list)  # made together once the deferred records are in
    statuses: dict[int, str] = field(default_factory=dict)  # request id → its status once those changes are made
    updated: dict[int, Person] = field(default_factory=dict)  # people this chunk changes, saved together
    created: dict[int, Person] = field(default_factory=dict)  # people this chunk creates, by their (given) id
    unflushed_keys: set[str] = field(default_factory=set)  # name keys of rows whose records wait in ``deferred``
    ids: dict[type, object] = field(default_factory=dict)  # ids taken from the sequences, not yet given
    row_savepoints: bool = True  # committing: a savepoint per row (else the chunk fails whole, then goes row by row)

    @property
    def options(self) -> dict:
        return self.batch.options

    def checkpoint(self) -> tuple:
        """What a chunk's rows change in this context, to put back if the chunk is rolled back."""
        return self.seen_rows.mark(), self.people_by_key.mark(), dict(self.cases), set(self.requests_created)

    def restore(self, saved: tuple) -> None:
        seen, keys, self.cases, self.requests_created = saved
        self.seen_rows.forget_after(seen)
        self.people_by_key.forget_after(keys)
        self.pending.clear()
        self.tracked.clear()
        self.deferred.clear()
        self.status_changes.clear()
        self.statuses.clear()
        self.updated.clear()
        self.created.clear()


def _require(user) -> None:
    if not (user.is_authenticated and user.has_perm(PERMISSION)):
        raise PermissionDenied(gettext("Only a data manager imports records."))


def _open(batch: ImportBatch):
    options = batch.options
    return open_sheet(
        batch.file.path,
        name=batch.filename,
        encoding=options.get("encoding", ""),
        delimiter=options.get("delimiter", ""),
        sheet=options.get("sheet", ""),
    )
