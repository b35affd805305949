"""Writing a classified row through the services (inside its chunk's savepoint), tracking what it wrote."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext

from casework.models import (
    Case,
    CaseMember,
    CaseNote,
    CaseSubject,
    Confidentiality,
    RequestCategory,
    RequestStatus,
    RequestUpdate,
    StatedRequest,
)
from casework.services import request_update_status
from core.dates import DatePrecision
from exchange.imports.common import CREATE, PERSON_FIELDS, UPDATE, Context, Known, Outcome
from exchange.imports.lookups import known_of
from exchange.mappings import ParsedRow
from exchange.models import ImportedRecord
from people.models import Detention, Person, PersonIdentifier, PersonName

# ------------------------------------------------------------------ writing

#: What a status change writes on an existing request, put back by undo.
REQUEST_STATUS_FIELDS = ("status", "status_changed_at", "last_moved_on")


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


#: The order the deferred records are inserted in: a record after those its triggers read
#: (a request's count reads its person; a subject's, the person's requests).
FLUSH_ORDER = (Person, PersonName, PersonIdentifier, Detention, CaseSubject, StatedRequest, CaseNote)
ID_BLOCK = 500


def _new_id(context: Context, model) -> int:
    """An id for a record inserted later, taken from its table's sequence (a block at a time)."""
    ids = context.ids.setdefault(model, deque())
    if not ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, ID_BLOCK],
            )
            ids.extend(pk for (pk,) in cursor.fetchall())
    return ids.popleft()


def _save(context: Context, row: int, obj) -> None:
    """Save a record: at once when rows have savepoints of their own, else given its id now
    and inserted with the chunk's others, one statement per model (``flush``), before
    anything reads them back."""
    if context.row_savepoints:
        obj.save()
        _track(context, row, obj)
        return
    if hasattr(obj, "refresh_name_keys"):
        obj.refresh_name_keys()
    obj.pk = _new_id(context, type(obj))
    obj._state.adding = True
    context.deferred.append((row, obj))


def flush(context: Context) -> None:
    """Save the chunk's changed people (one UPDATE), insert the deferred records (one INSERT
    per model), then make the request status changes that wait for them (a few statements
    for all of them), and track it all, in that order."""
    if not context.deferred and not context.status_changes and not context.updated:
        return
    try:
        _save_people(context)
        by_model: dict[type, list] = {model: [] for model in FLUSH_ORDER}
        for _row, obj in context.deferred:
            by_model[type(obj)].append(obj)
        for model, objs in by_model.items():
            if objs:
                model.objects.bulk_create(objs, batch_size=1000)
        for obj in (obj for objs in by_model.values() for obj in objs):
            obj._state.adding = False
        for row, obj in context.deferred:
            _track(context, row, obj)
        changes = context.status_changes
        while changes:  # a request changed twice in the chunk: once per round, in the rows' order
            now, later, seen = [], [], set()
            for change in changes:
                (later if change.request.pk in seen else now).append(change)
                seen.add(change.request.pk)
            _change_statuses(context, now)
            changes = later
    except (ValidationError, DatabaseError) as error:  # the chunk again, row by row: the row gets its error
        from exchange.imports.classify import ChunkFailed

        raise ChunkFailed(str(error)) from error
    finally:
        context.deferred.clear()
        context.status_changes.clear()
        context.statuses.clear()
        context.updated.clear()
        context.unflushed_keys.clear()
    context.pending.extend(context.tracked)
    context.tracked.clear()


#: What a row may change on an existing person (``_fill_person``), saved for the whole chunk at once.
PERSON_UPDATE_FIELDS = (*PERSON_FIELDS.values(), "birth_date", "birth_date_precision", "name_keys", "updated_at")


def _save_people(context: Context) -> None:
    """The people the chunk's rows changed, in one UPDATE: their statement-level triggers
    (counts) run once for the chunk, not once a person."""
    if not context.updated:
        return
    people, changed_at = list(context.updated.values()), timezone.now()
    for person in people:
        person.refresh_name_keys()
        person.updated_at = changed_at
    Person.objects.bulk_update(people, PERSON_UPDATE_FIELDS, batch_size=500)


@dataclass
class StatusChange:
    """A request's status change a row asks for, made with the chunk's others."""

    row: int
    request: StatedRequest
    status: str
    before: dict | None  # an existing request's status fields, put back by undo
    note: str


def _change_statuses(context: Context, changes: list[StatusChange]) -> None:
    """What ``request_update_status`` does, for many requests (each once) in four statements:
    lock them, move their status, add their updates (whose statement trigger sets
    last_moved_on), read back what the triggers wrote. A failure fails the chunk, written
    again row by row through the service, which then says what is wrong with the row."""
    if any(change.status not in RequestStatus.values for change in changes):
        raise ValidationError(gettext("Not a request status."))
    ids = [change.request.pk for change in changes]
    user = context.user if context.user.is_authenticated else None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, status FROM casework_statedrequest WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [ids])
        previous = dict(cursor.fetchall())
        changed_at = timezone.now()
        cursor.execute(
            "UPDATE casework_statedrequest r SET status = v.status, status_changed_at = %s, updated_at = %s "
            "FROM unnest(%s::bigint[], %s::text[]) AS v(id, status) WHERE r.id = v.id",
            [changed_at, changed_at, ids, [change.status for change in changes]],
        )
        updates = []
        for change in changes:
            update = RequestUpdate(request=change.request, previous_status=previous[change.request.pk],
                                   status=change.status, occurred_on=None, occurred_on_precision=DatePrecision.UNKNOWN,
                                   note=change.note, recorded_by=user)  # fmt: skip
            update.full_clean(exclude=["request", "source", "recorded_by"], validate_unique=False,
                              validate_constraints=False)  # fmt: skip
            updates.append(update)
        RequestUpdate.objects.bulk_create(updates)
        cursor.execute("SELECT id, last_moved_on, version FROM casework_statedrequest WHERE id = ANY(%s)", [ids])
        moved = {pk: (last_moved_on, version) for pk, last_moved_on, version in cursor.fetchall()}
    for change, update in zip(changes, updates, strict=True):
        request = change.request
        request.status, request.status_changed_at, request.updated_at = change.status, changed_at, changed_at
        request.last_moved_on, request.version = moved[request.pk]
        _track(context, change.row, update)
        if change.before is not None:
            _track(context, change.row, request, created=False, before=change.before)


def apply_row(context: Context, row: ParsedRow, case: Case | None, person: Person | None, outcome: Outcome):
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
        _save(context, number, person)
        outcome.person = person
        context.known[person.pk] = Known()  # nothing hangs off it yet
        context.created[person.pk] = person
    elif outcome.action == UPDATE and person is not None:
        if person.pk in context.created:
            flush(context)
        if person.pk in context.updated:  # changed by an earlier row of the chunk, not yet saved
            person = context.updated[person.pk]
        else:
            person = Person.objects.select_for_update().get(pk=person.pk)
        before = {name: str(getattr(person, name) or "") for name in PERSON_FIELDS.values()}
        before |= {"birth_date": person.birth_date.isoformat() if person.birth_date else "",
                   "birth_date_precision": person.birth_date_precision}  # fmt: skip
        _fill_person(person, row)
        person.full_clean(exclude=["depends_on"], validate_constraints=False)
        if context.row_savepoints:
            person.save()
        else:  # with the chunk's other changed people (``flush``)
            context.updated[person.pk] = person
        _track(context, number, person, created=False, before=before)
    if person is not None and person.pk:
        known_of(context, [person.pk])  # loaded for the whole chunk already, unless found afresh
        known = context.known[person.pk]
        _add_names_and_identifiers(context, row, person, known)
        if case is not None and case.pk not in known.cases:
            _save(context, number, CaseSubject(case=case, person=person))
            known.cases.add(case.pk)
        _add_detention(context, row, person, known)
        _add_request(context, row, case, person, known)
    if case is not None and row.get("note.body"):
        note = CaseNote(case=case, author=user, body=row.get("note.body"))
        note.full_clean(exclude=["case", "author"], validate_constraints=False)
        _save(context, number, note)
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


def _add_names_and_identifiers(context: Context, row: ParsedRow, person: Person, known: Known) -> None:
    for name in row.get("person.other_names", []):
        if name not in known.names and name not in (person.display_name, person.name_original):
            from exchange.mappings import is_latin

            added = PersonName(person=person, name=name, kind="transliteration" if is_latin(name) else "original")
            _save(context, row.number, added)
            known.names.add(name)
    for target, value in row.values.items():
        if target.startswith("person.identifier."):
            kind = target.rsplit(".", 1)[1]
            if (kind, str(value).upper()) not in known.identifiers:
                _save(context, row.number, PersonIdentifier(person=person, kind=kind, value=value))
                known.identifiers.add((kind, str(value).upper()))


def _add_detention(context: Context, row: ParsedRow, person: Person, known: Known) -> None:
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
    key = (detention.facility, detention.started_on, detention.ended_on)
    if key in known.detentions:
        return
    detention.full_clean(exclude=["person", "authority"], validate_constraints=False)
    _save(context, row.number, detention)
    known.detentions.add(key)


def _fuzzy(reported):
    from core.dates import FuzzyDate

    if reported is None:
        return FuzzyDate(None, DatePrecision.UNKNOWN)
    return FuzzyDate(reported.value, reported.precision)


def _add_request(context: Context, row: ParsedRow, case: Case | None, person: Person, known: Known) -> None:
    values = {k.split(".", 1)[1]: v for k, v in row.values.items() if k.startswith("request.")}
    if not values or case is None:
        return
    category = values.get("category", RequestCategory.OTHER)
    summary = values.get("summary") or RequestCategory(category).label.capitalize()
    request = known.requests.get((case.pk, category, summary))
    if request is None:
        request = StatedRequest(case=case, person=person, category=category, summary=summary,
                                words=values.get("words", ""))  # fmt: skip
        request.first_stated = _fuzzy(values.get("first_stated"))
        request.full_clean(exclude=["case", "person", "addressed_to", "freely_verified_by"], validate_constraints=False)
        _save(context, row.number, request)
        context.requests_created.add(request.pk)
        known.requests[(case.pk, category, summary)] = request
    status = values.get("status")
    if status and status != context.statuses.get(request.pk, request.status):
        before = None
        if request.pk not in context.requests_created:  # an existing request: undo puts its status back
            before = {name: str(getattr(request, name) or "") for name in REQUEST_STATUS_FIELDS}
        note = f"Imported (batch #{context.batch.pk}, row {row.number})"
        if context.row_savepoints:
            update = request_update_status(request=request, status=status, occurred_on=None,
                                           occurred_on_precision=DatePrecision.UNKNOWN, note=note, user=context.user)  # fmt: skip
            _track(context, row.number, update)
            if before is not None:
                _track(context, row.number, request, created=False, before=before)
        else:  # once the request is in: with the chunk's other changes (``flush``)
            context.status_changes.append(StatusChange(row.number, request, status, before, note))
            context.statuses[request.pk] = status  # as the rows after this one in the chunk must see it
            # (the request itself keeps its status until then: a new one is inserted as stated)
