"""Importing an organisation's spreadsheets: check (dry run), commit in chunks, undo.

``import_check`` reads the whole file through its mapping and classifies every
row without writing anything but the batch itself: create, update (which
fields change), link to an existing person (the match and its reasons), skip
(empty, the same as an earlier row) or error (every error of the row, field by
field). ``import_commit`` then writes the rows through the same classification,
chunk by chunk, each chunk one transaction recorded by history under channel
``import``; a row that fails is rejected whole. ``import_undo`` sends what a
batch created to the bin and puts back what it changed.

The file is streamed: memory holds one chunk of rows and, per row, a 16-byte
digest (to spot repeated rows) and the keys of the people it names (to link a
person's later rows to the first).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pghistory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from casework.models import (
    Case,
    CaseMember,
    CaseNote,
    CaseSubject,
    Confidentiality,
    RequestCategory,
    StatedRequest,
)
from casework.services import request_update_status
from core.bin import RESTORE
from core.dates import DatePrecision
from core.history import Channel
from exchange.mappings import Mapping, ParsedRow, load_mapping, parse_row
from exchange.models import BatchState, ImportBatch, ImportedRecord, ImportMapping, ImportMode
from exchange.readers import FileProblem, open_sheet, sha256_of
from people.duplicates import STRONG_SCORE, Draft, candidates_for
from people.models import Detention, Person, PersonIdentifier, PersonName
from people.names import name_keys

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
class Context:
    """What one pass over a file remembers: the options, the cases it resolved, the
    rows it has seen and the people earlier rows named."""

    user: object
    batch: ImportBatch
    mapping: Mapping
    write: bool
    today: datetime.date = field(default_factory=datetime.date.today)
    seen_rows: dict[bytes, int] = field(default_factory=dict)
    people_by_key: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # key → (row, person id)
    cases: dict[str, Case | None] = field(default_factory=dict)
    tracked: list[ImportedRecord] = field(default_factory=list)

    @property
    def options(self) -> dict:
        return self.batch.options


# ------------------------------------------------------------------ checking


def _require(user) -> None:
    if not (user.is_authenticated and user.has_perm(PERMISSION)):
        raise PermissionDenied("Only a data manager imports records.")


def import_check(
    *,
    user,
    file,
    filename: str,
    mapping_spec: dict,
    mapping_name: str = "",
    options: dict | None = None,
    mode: str = ImportMode.ALL,
) -> ImportBatch:
    """Upload and dry run in one step (the command line and the API)."""
    batch = import_upload(user=user, file=file, filename=filename, options=options, mode=mode)
    try:
        return import_dry_run(batch=batch, user=user, mapping_spec=mapping_spec, mapping_name=mapping_name)
    except BaseException:
        batch.file.delete(save=False)
        batch.delete()
        raise


def import_upload(*, user, file, filename: str, options: dict | None = None, mode: str = ImportMode.ALL) -> ImportBatch:
    """Keep an uploaded file as a batch to be checked: refused when too large, not a
    table Vigil can read, or already imported (unless "update only")."""
    _require(user)
    options = dict(options or {})
    _check_options(options, user)
    if mode not in ImportMode.values:
        raise ValidationError({"mode": gettext("One of %(choices)s.") % {"choices": ", ".join(ImportMode.values)}})
    size = getattr(file, "size", None) or os.fstat(file.fileno()).st_size
    if size > settings.VIGIL_IMPORT_MAX_BYTES:
        raise FileProblem(
            gettext("The file is %(size)s MB; imports take at most %(most)s MB (VIGIL_IMPORT_MAX_BYTES): split it.")
            % {"size": f"{size / 1_048_576:.1f}", "most": f"{settings.VIGIL_IMPORT_MAX_BYTES / 1_048_576:.0f}"}
        )
    batch = ImportBatch(
        filename=os.path.basename(filename)[:255] or "import",
        size=size,
        mapping={},
        options=options,
        mode=mode,
        created_by=user,
    )
    batch.file.save(batch.filename, File(file), save=False)
    try:
        batch.sha256 = sha256_of(batch.file.path)
        earlier = (
            ImportBatch.objects.filter(sha256=batch.sha256)
            .exclude(state__in=[BatchState.CHECKED, BatchState.UNDONE])
            .order_by("created_at")
            .first()
        )
        if earlier and mode != ImportMode.UPDATE_ONLY:
            raise ValidationError(
                {
                    "file": gettext(
                        "This file was already imported (batch #%(pk)s, %(when)s, by %(who)s): "
                        "import it again as “update only”, or undo that batch first."
                    )
                    % {"pk": earlier.pk, "when": f"{earlier.created_at:%Y-%m-%d %H:%M}", "who": earlier.created_by}
                }
            )
        sheet = _open(batch)
        sheet.rows.close()
        batch.options = {**options, "encoding": sheet.encoding, "delimiter": sheet.delimiter, "sheet": sheet.sheet}
        batch.columns = sheet.columns
        batch.save()
    except BaseException:
        batch.file.delete(save=False)
        raise
    return batch


def import_dry_run(*, batch: ImportBatch, user, mapping_spec: dict, mapping_name: str = "") -> ImportBatch:
    """Classify every row of the batch's file through the mapping; nothing but the
    batch's report is written."""
    _require(user)
    if batch.state != BatchState.CHECKED:
        raise ValidationError(f"Batch #{batch.pk} is {batch.get_state_display()}: it can no longer be checked.")
    sheet = _open(batch)
    try:
        mapping = load_mapping(mapping_spec, columns=sheet.columns)
        counts: Counter = Counter()
        report = []
        context = Context(user=user, batch=batch, mapping=mapping, write=False)
        for outcome in _outcomes(context, sheet.rows):
            counts[outcome.action] += 1
            if len(report) < REPORT_ROWS and (outcome.action != CREATE or counts[CREATE] <= 50):
                report.append(outcome.as_dict())
    finally:
        sheet.rows.close()
    batch.mapping, batch.mapping_name = mapping_spec, mapping_name
    batch.dry_run_counts = {action: counts[action] for action in ACTIONS} | {"rows": sum(counts.values())}
    batch.report = report
    batch.save()
    return batch


def preview_rows(*, batch: ImportBatch, limit: int = 8) -> list[dict[str, str]]:
    """The first rows of the batch's file, for the mapping builder."""
    sheet = _open(batch)
    rows = []
    try:
        for _number, values in sheet.rows:
            rows.append(values)
            if len(rows) >= limit:
                break
    finally:
        sheet.rows.close()
    return rows


def mapping_save(*, name: str, spec: dict, user) -> ImportMapping:
    """Save a mapping by name for the next file of the same shape."""
    _require(user)
    load_mapping(spec)
    if not name.strip():
        raise ValidationError({"mapping_name": gettext("Give the mapping a name.")})
    mapping, _created = ImportMapping.objects.update_or_create(
        name=name.strip()[:100], defaults={"spec": spec, "created_by": user}
    )
    return mapping


def _check_options(options: dict, user) -> None:
    problems = {}
    confidentiality = options.setdefault("confidentiality", Confidentiality.NORMAL)
    if confidentiality not in Confidentiality.values:
        problems["confidentiality"] = gettext("One of %(choices)s.") % {"choices": ", ".join(Confidentiality.values)}
    team = options.setdefault("team", [])
    if not isinstance(team, list):
        problems["team"] = "A list of usernames."
    else:
        from django.contrib.auth import get_user_model

        known = set(get_user_model().objects.filter(username__in=team).values_list("username", flat=True))
        if set(team) - known:
            problems["team"] = gettext("No such user: %(names)s.") % {"names": ", ".join(sorted(set(team) - known))}
    if options.get("case"):
        case = Case.objects.visible_to(user).filter(reference=options["case"]).first()
        if case is None:
            problems["case"] = gettext("No case %(reference)s that you may see.") % {"reference": options["case"]}
    if problems:
        raise ValidationError(problems)


def _open(batch: ImportBatch):
    options = batch.options
    return open_sheet(
        batch.file.path,
        name=batch.filename,
        encoding=options.get("encoding", ""),
        delimiter=options.get("delimiter", ""),
        sheet=options.get("sheet", ""),
    )


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
            {
                "column": "",
                "field": "case.reference",
                "message": gettext("No case %(reference)s that you may see.") % {"reference": reference},
            }
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
                "message": gettext("No one has this identifier: a new person needs a name."),
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


# ------------------------------------------------------------------ writing


def _track(context: Context, row: int, obj, *, created: bool = True, before: dict | None = None) -> None:
    """Remember what the row wrote (saved with the row, in its savepoint)."""
    context.tracked.append(
        ImportedRecord(
            batch=context.batch,
            row=row,
            model=obj._meta.label_lower,
            object_id=obj.pk,
            created=created,
            before=before or {},
        )
    )


def _apply(context: Context, row: ParsedRow, case: Case | None, person: Person | None, outcome: Outcome):
    user, number = context.user, row.number
    if case is None and row.get("case.title"):
        case = Case(
            title=row.get("case.title"),
            opened_on=context.today,
            confidentiality=context.options.get("confidentiality", Confidentiality.NORMAL),
            lead=user,
        )
        case.full_clean(exclude=["reference"], validate_constraints=False)
        case.save()
        case.refresh_from_db(fields=["reference"])
        _track(context, number, case)
        for username in context.options.get("team", []):
            member = CaseMember.objects.create(case=case, user=get_user_model().objects.get(username=username))
            _track(context, number, member)
        context.cases[f"title:{case.title}"] = case
    if outcome.action == CREATE and any(k.startswith("person.") for k in row.values):
        person = Person()
        _fill_person(person, row)
        person.full_clean(exclude=["depends_on"], validate_constraints=False)
        person.save()
        _track(context, number, person)
        outcome.person = person
    elif outcome.action == UPDATE and person is not None:
        person = Person.objects.select_for_update().get(pk=person.pk)
        before = {name: str(getattr(person, name) or "") for name in PERSON_FIELDS.values()}
        before |= {"birth_date": person.birth_date.isoformat() if person.birth_date else "",
                   "birth_date_precision": person.birth_date_precision}  # fmt: skip
        _fill_person(person, row)
        person.full_clean(exclude=["depends_on"], validate_constraints=False)
        person.save()
        _track(context, number, person, created=False, before=before)
    if person is not None and person.pk:
        _add_names_and_identifiers(context, row, person)
        if case is not None:
            subject, created = CaseSubject.objects.get_or_create(case=case, person=person)
            if created:
                _track(context, number, subject)
        _add_detention(context, row, person)
        _add_request(context, row, case, person)
    if case is not None and row.get("note.body"):
        note = CaseNote(case=case, author=user, body=row.get("note.body"))
        note.full_clean(exclude=["case", "author"], validate_constraints=False)
        note.save()
        _track(context, number, note)
    return person


def _fill_person(person: Person, row: ParsedRow) -> None:
    for target, name in PERSON_FIELDS.items():
        value = row.get(target)
        if value not in (None, ""):
            setattr(person, name, value)
    birth = row.get("person.birth")
    if birth:
        person.birth_date, person.birth_date_precision = birth.value, birth.precision
    elif not person.birth_date:
        person.birth_date_precision = DatePrecision.UNKNOWN


def _add_names_and_identifiers(context: Context, row: ParsedRow, person: Person) -> None:
    known = {person.display_name, person.name_original, *person.names.values_list("name", flat=True)}
    for name in row.get("person.other_names", []):
        if name not in known:
            from exchange.mappings import is_latin

            added = PersonName(person=person, name=name, kind="transliteration" if is_latin(name) else "original")
            added.save()
            _track(context, row.number, added)
            known.add(name)
    for target, value in row.values.items():
        if target.startswith("person.identifier."):
            kind = target.rsplit(".", 1)[1]
            if not person.identifiers.filter(kind=kind, value__iexact=value).exists():
                _track(context, row.number, PersonIdentifier.objects.create(person=person, kind=kind, value=value))


def _add_detention(context: Context, row: ParsedRow, person: Person) -> None:
    values = {k.split(".", 1)[1]: v for k, v in row.values.items() if k.startswith("detention.")}
    if not values:
        return
    detention = Detention(
        person=person,
        facility=values.get("facility", ""),
        locality=values.get("locality", ""),
        region=values.get("region", ""),
        country=values.get("country", ""),
    )
    for name in ("started", "ended"):
        reported = values.get(name)
        setattr(detention, name, _fuzzy(reported))
    if Detention.objects.filter(
        person=person, facility=detention.facility, started_on=detention.started_on, ended_on=detention.ended_on
    ).exists():
        return
    detention.full_clean(exclude=["person", "authority"], validate_constraints=False)
    detention.save()
    _track(context, row.number, detention)


def _fuzzy(reported):
    from core.dates import FuzzyDate

    if reported is None:
        return FuzzyDate(None, DatePrecision.UNKNOWN)
    return FuzzyDate(reported.value, reported.precision)


def _add_request(context: Context, row: ParsedRow, case: Case | None, person: Person) -> None:
    values = {k.split(".", 1)[1]: v for k, v in row.values.items() if k.startswith("request.")}
    if not values or case is None:
        return
    category = values.get("category", RequestCategory.OTHER)
    summary = values.get("summary") or RequestCategory(category).label.capitalize()
    request = StatedRequest.objects.filter(case=case, person=person, category=category, summary=summary).first()
    if request is None:
        request = StatedRequest(case=case, person=person, category=category, summary=summary,
                                words=values.get("words", ""))  # fmt: skip
        request.first_stated = _fuzzy(values.get("first_stated"))
        request.full_clean(exclude=["case", "person", "addressed_to", "freely_verified_by"], validate_constraints=False)
        request.save()
        _track(context, row.number, request)
    status = values.get("status")
    if status and status != request.status:
        request_update_status(
            request=request,
            status=status,
            occurred_on=None,
            occurred_on_precision=DatePrecision.UNKNOWN,
            note=f"Imported (batch #{context.batch.pk}, row {row.number})",
            user=context.user,
        )


def import_commit(*, batch: ImportBatch, user, progress: Callable[[int], None] | None = None) -> ImportBatch:
    """Write the batch's rows, chunk by chunk (each one transaction, history channel
    ``import``), from where it stopped. Rows with errors are rejected whole."""
    _require(user)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state in (BatchState.COMMITTED, BatchState.UNDONE) or batch.deleted_at:
            raise ValidationError(f"Batch #{batch.pk} is already {batch.get_state_display()}.")
        if batch.state == BatchState.RUNNING and batch.created_by_id != user.pk:
            raise ValidationError(f"Batch #{batch.pk} is being imported by {batch.created_by}.")
        ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.RUNNING, message="")
    sheet = _open(batch)
    mapping = load_mapping(batch.mapping, columns=sheet.columns)
    context = Context(user=user, batch=batch, mapping=mapping, write=True)
    counts = Counter(batch.counts)
    chunk_size = max(1, settings.VIGIL_IMPORT_CHUNK_ROWS)
    outcomes = _outcomes(context, sheet.rows, skip_rows=batch.rows_done)
    try:
        while True:
            with (
                transaction.atomic(),
                pghistory.context(channel=Channel.IMPORT.value, import_batch=batch.pk, username=user.get_username()),
            ):
                done = 0
                for outcome in outcomes:
                    counts[outcome.action] += 1
                    done += 1
                    if done >= chunk_size:
                        break
                if not done:
                    break
                batch.rows_done += done
                batch.counts = dict(counts)
                ImportBatch.objects.filter(pk=batch.pk).update(rows_done=batch.rows_done, counts=batch.counts)
            if progress:
                progress(batch.rows_done)
    except (FileProblem, Exception) as error:
        message = str(error) if isinstance(error, FileProblem) else f"{type(error).__name__}: {error}"
        ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.FAILED, message=message[:2000])
        raise
    finally:
        outcomes.close()
    ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.COMMITTED, committed_at=timezone.now())
    batch.refresh_from_db()
    return batch


def import_enqueue(*, batch: ImportBatch, user) -> ImportBatch:
    """Commit the batch in the background: a job (``exchange.run_import``) writes it, chunk
    by chunk, and the batch's ``rows_done`` says how far it is."""
    from core.background import work_defer
    from exchange.tasks import run_import

    _require(user)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch.mapping:
            raise ValidationError(gettext("Check the file with a mapping first (the dry run)."))
        if batch.state not in (BatchState.CHECKED, BatchState.FAILED):
            raise ValidationError(
                gettext("Batch #%(pk)s is %(state)s.") % {"pk": batch.pk, "state": batch.get_state_display()}
            )
        ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.QUEUED, message="")
        rows = batch.dry_run_counts.get("rows", 0)
        title = ngettext("Import of batch #%(pk)s (%(rows)s row)", "Import of batch #%(pk)s (%(rows)s rows)", rows)
        work_defer(run_import, kind="import", title=title % {"pk": batch.pk, "rows": rows}, owner=user,
                   batch_id=batch.pk, user_id=user.pk)  # fmt: skip
    batch.refresh_from_db()
    return batch


# ------------------------------------------------------------------ undo, and undoing the undo


def _may_undo(user) -> None:
    if not (user.has_perm(PERMISSION) and user.has_perm(RESTORE)):
        raise PermissionDenied("Only a data manager undoes an import.")


@transaction.atomic
def import_undo(*, batch: ImportBatch, user) -> ImportBatch:
    """Undo a batch: the batch and every record it created go to the bin; what it changed
    is put back. Rows that have no bin of their own (a name, an identifier, a detention, a
    note, a case link added to a record the batch did not create) are kept whole in the
    binned batch. Restoring the batch from the bin (``import_redo``) brings it all back."""
    from django.apps import apps

    _may_undo(user)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state == BatchState.UNDONE:
        raise ValidationError(f"Batch #{batch.pk} was already undone.")
    if batch.state in (BatchState.CHECKED, BatchState.QUEUED):
        raise ValidationError(f"Batch #{batch.pk} was never imported.")
    now = timezone.now()
    with pghistory.context(channel=Channel.IMPORT.value, import_batch=batch.pk, undo=True):
        records = list(batch.records.order_by("-id"))
        created = {(r.model, r.object_id) for r in records if r.created}
        for record in records:
            model = apps.get_model(record.model)
            obj = model._base_manager.filter(pk=record.object_id).first()
            if obj is None:
                record.undone = {}
            elif not record.created:
                record.undone = {"after": _values(obj, record.before)}
                _put_back(obj, record.before)
            elif hasattr(obj, "deleted_at"):
                if not obj.may_bin(user):
                    raise PermissionDenied(f"You may not move {obj._meta.verbose_name} #{obj.pk} to the bin.")
                record.undone = {"binned": obj.deleted_at is None}
                if obj.deleted_at is None:
                    model._base_manager.filter(pk=obj.pk).update(deleted_at=now, deleted_by=user)
            elif _hangs_off_created(obj, created):
                record.undone = {}  # binned with the record it hangs off
            else:
                record.undone = {"row": _row(obj)}
                obj.delete()
        ImportedRecord.objects.bulk_update(records, ["undone"], batch_size=2000)
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=BatchState.UNDONE, undone_at=now, undone_by=user, deleted_at=now, deleted_by=user
    )
    batch.refresh_from_db()
    return batch


@transaction.atomic
def import_redo(*, batch: ImportBatch, user) -> ImportBatch:
    """Restore an undone batch from the bin: what undoing binned comes back, the rows it
    kept are put back with their ids, the values it put back over are set again."""
    from django.apps import apps

    _may_undo(user)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != BatchState.UNDONE:
        raise ValidationError(f"Batch #{batch.pk} is not undone.")
    again = ImportBatch.objects.filter(sha256=batch.sha256).exclude(pk=batch.pk)
    again = again.exclude(state__in=[BatchState.CHECKED, BatchState.UNDONE]).first()
    if again is not None and batch.mode != ImportMode.UPDATE_ONLY:
        raise ValidationError(f"The same file was imported again since (batch #{again.pk}): undo that one first.")
    with pghistory.context(channel=Channel.IMPORT.value, import_batch=batch.pk, redo=True):
        for record in batch.records.order_by("id"):
            model = apps.get_model(record.model)
            undone = record.undone or {}
            if undone.get("binned"):
                model._base_manager.filter(pk=record.object_id).update(deleted_at=None, deleted_by=None)
            elif "row" in undone:
                if not model._base_manager.filter(pk=record.object_id).exists():
                    model._base_manager.create(**_from_row(model, undone["row"]))
            elif "after" in undone:
                obj = model._base_manager.filter(pk=record.object_id).first()
                if obj is not None:
                    _put_back(obj, undone["after"])
        batch.records.update(undone={})
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=BatchState.COMMITTED, undone_at=None, undone_by=None, deleted_at=None, deleted_by=None
    )
    batch.refresh_from_db()
    return batch


def _row(obj) -> dict:
    """A row kept whole, column by column (JSON: dates as ISO text)."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def _from_row(model, row: dict) -> dict:
    values = {}
    for f in model._meta.concrete_fields:
        if f.attname in row:
            value = row[f.attname]
            values[f.attname] = f.to_python(value) if value is not None else None
    return values


def _values(person, before: dict) -> dict:
    found = {name: str(getattr(person, name) or "") for name in before if name != "birth_date"}
    if "birth_date" in before:
        found["birth_date"] = person.birth_date.isoformat() if person.birth_date else ""
    return found


def _hangs_off_created(obj, created: set[tuple[str, int]]) -> bool:
    for parent in ("person", "case", "request"):
        parent_id = getattr(obj, f"{parent}_id", None)
        if parent_id is None:
            continue
        label = {"person": "people.person", "case": "casework.case", "request": "casework.statedrequest"}[parent]
        if (label, parent_id) in created:
            return True
    return False


def _put_back(person: Person, before: dict) -> None:
    for name, value in before.items():
        if name == "birth_date":
            value = datetime.date.fromisoformat(value) if value else None
        setattr(person, name, value)
    person.save()


# ------------------------------------------------------------------ rejected rows


def rejected_rows_csv(*, batch: ImportBatch, user) -> Iterator[str]:
    """The rows the dry run rejects, as they were in the file, with an ``errors``
    column: fix them and import that file."""
    _require(user)
    sheet = _open(batch)
    mapping = load_mapping(batch.mapping, columns=sheet.columns)
    context = Context(user=user, batch=batch, mapping=mapping, write=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(["row", *sheet.columns, "errors"])
    yield flush()
    for number, raw in sheet.rows:
        outcome = classify(context, parse_row(mapping, number, raw, today=context.today))
        if outcome.action != ERROR:
            continue
        message = "; ".join(
            f"{e['column'] or e['field']}: {e['message']}" if (e["column"] or e["field"]) else e["message"]
            for e in outcome.errors
        )
        from casework.views.export import spreadsheet_safe

        writer.writerow([number, *(spreadsheet_safe(raw.get(c, "")) for c in sheet.columns), spreadsheet_safe(message)])
        yield flush()
