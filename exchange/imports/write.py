"""Writing a classified row through the services (inside its chunk's savepoint), tracking what it wrote."""

from __future__ import annotations

from django.contrib.auth import get_user_model

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
from core.dates import DatePrecision
from exchange.imports.common import CREATE, PERSON_FIELDS, UPDATE, Context, Outcome
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
        new = outcome.action == CREATE  # nothing hangs off a person made by this row: no lookups
        _add_names_and_identifiers(context, row, person, new=new)
        if case is not None:
            if new:
                subject, created = CaseSubject.objects.create(case=case, person=person), True
            else:
                subject, created = CaseSubject.objects.get_or_create(case=case, person=person)
            if created:
                _track(context, number, subject)
        _add_detention(context, row, person, new=new)
        _add_request(context, row, case, person, new=new)
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


def _add_names_and_identifiers(context: Context, row: ParsedRow, person: Person, *, new: bool = False) -> None:
    known = {person.display_name, person.name_original}
    if not new:
        known |= set(person.names.values_list("name", flat=True))
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
            if new or not person.identifiers.filter(kind=kind, value__iexact=value).exists():
                _track(context, row.number, PersonIdentifier.objects.create(person=person, kind=kind, value=value))


def _add_detention(context: Context, row: ParsedRow, person: Person, *, new: bool = False) -> None:
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
    if (
        not new
        and Detention.objects.filter(
            person=person, facility=detention.facility, started_on=detention.started_on, ended_on=detention.ended_on
        ).exists()
    ):
        return
    detention.full_clean(exclude=["person", "authority"], validate_constraints=False)
    detention.save()
    _track(context, row.number, detention)


def _fuzzy(reported):
    from core.dates import FuzzyDate

    if reported is None:
        return FuzzyDate(None, DatePrecision.UNKNOWN)
    return FuzzyDate(reported.value, reported.precision)


def _add_request(context: Context, row: ParsedRow, case: Case | None, person: Person, *, new: bool = False) -> None:
    values = {k.split(".", 1)[1]: v for k, v in row.values.items() if k.startswith("request.")}
    if not values or case is None:
        return
    category = values.get("category", RequestCategory.OTHER)
    summary = values.get("summary") or RequestCategory(category).label.capitalize()
    request = None
    if not new:
        request = StatedRequest.objects.filter(case=case, person=person, category=category, summary=summary).first()
    if request is None:
        request = StatedRequest(case=case, person=person, category=category, summary=summary,
                                words=values.get("words", ""))  # fmt: skip
        request.first_stated = _fuzzy(values.get("first_stated"))
        request.full_clean(exclude=["case", "person", "addressed_to", "freely_verified_by"], validate_constraints=False)
        request.save()
        _track(context, row.number, request)
        context.requests_created.add(request.pk)
    status = values.get("status")
    if status and status != request.status:
        before = None
        if request.pk not in context.requests_created:  # an existing request: undo puts its status back
            before = {name: str(getattr(request, name) or "") for name in REQUEST_STATUS_FIELDS}
        update = request_update_status(
            request=request,
            status=status,
            occurred_on=None,
            occurred_on_precision=DatePrecision.UNKNOWN,
            note=f"Imported (batch #{context.batch.pk}, row {row.number})",
            user=context.user,
        )
        _track(context, row.number, update)
        if before is not None:
            _track(context, row.number, request, created=False, before=before)
