"""What a chunk of rows needs from the database, looked up once for the whole chunk.

Classifying a row asks which case it names, whether a person has its
identifier, and who among the recorded people may be the person it describes.
Asked row by row that is several queries a row; here each question is one
query for the chunk (``VIGIL_IMPORT_CHUNK_ROWS`` rows): the cases by reference
and by title, the identifiers by kind and value, and the duplicate candidates
of every row's person (``people.duplicate_candidates``). The answers are the
ones the row-by-row questions give; while committing, a row whose answer the
chunk's earlier rows may have changed (they wrote a person with the same name
key, or changed the person found) asks again.
"""

from __future__ import annotations

from django.db.models.functions import Upper

from casework.models import Case, CaseSubject, StatedRequest
from core.dates import DatePrecision
from exchange.imports.common import Context, Known
from exchange.mappings import ParsedRow
from people.duplicate_candidates import candidates_for_many
from people.duplicates import Draft
from people.models import Detention, Person, PersonIdentifier, PersonName
from people.names import name_keys

MISSING = object()


def case_key(context: Context, row: ParsedRow) -> tuple[str, str, str]:
    """(cache key, reference, title) of the case a row names."""
    reference = context.options.get("case") or row.get("case.reference")
    title = row.get("case.title")
    return (f"ref:{reference}" if reference else f"title:{title}" if title else ""), reference, title


def identifier_keys(row: ParsedRow) -> list[tuple[str, str, str]]:
    """(kind, key, value) of each identifier in the row."""
    return [
        (target.rsplit(".", 1)[1], str(value).upper(), value)
        for target, value in row.values.items()
        if target.startswith("person.identifier.")
    ]


def draft_of(row: ParsedRow) -> Draft | None:
    names = [n for n in (row.get("person.display_name"), row.get("person.name_original")) if n]
    if not names:
        return None
    birth = row.get("person.birth")
    return Draft(
        names=[*names, *row.get("person.other_names", [])],
        birth_date=birth.value if birth else None,
        birth_precision=birth.precision if birth else DatePrecision.UNKNOWN,
        nationality=row.get("person.nationality", ""),
        places=[row.get("detention.facility")] if row.get("detention.facility") else [],
    )


def whole_keys(row: ParsedRow) -> set[str]:
    names = [row.get("person.display_name"), row.get("person.name_original"), *row.get("person.other_names", [])]
    return {key for key in name_keys(*[n for n in names if n]) if not key.startswith("t:")}


def look_up(context: Context, rows: list[ParsedRow], person_keys) -> None:
    """Fill the context's cases, identifiers and candidates for ``rows``."""
    context.touched_keys.clear()
    context.touched_people.clear()
    _cases(context, rows)
    _identifiers(context, rows)
    drafts, linked = {}, set()
    for row in rows:
        if row.is_empty or not any(key.startswith("person.") for key in row.values):
            continue
        earlier = [context.people_by_key[key][1] for key in person_keys(row) if key in context.people_by_key]
        if earlier:
            linked.add(earlier[0])
            continue  # linked to an earlier row's person
        if any(context.identifiers.get((kind, key)) for kind, key, _value in identifier_keys(row)):
            continue  # found by its identifier
        draft = draft_of(row)
        if draft is not None:
            drafts[row.number] = draft
    linked.discard(None)
    context.people = {p.pk: p for p in Person.objects.filter(pk__in=linked)} if linked else {}
    context.candidates = candidates_for_many(drafts=drafts, user=context.user, limit=3)
    context.known.clear()
    context.created.clear()
    if context.write:
        known_of(context, chunk_people(context))


def _cases(context: Context, rows: list[ParsedRow]) -> None:
    references, titles = set(), set()
    for row in rows:
        key, reference, title = case_key(context, row)
        if key and key not in context.cases:
            (references if reference else titles).add(reference or title)
    visible = Case.objects.visible_to(context.user)
    if references:
        found = {c.reference: c for c in visible.filter(reference__in={r.strip().upper() for r in references})}
        for reference in references:
            context.cases[f"ref:{reference}"] = found.get(reference.strip().upper())
    if titles:
        found = {}
        for case in visible.filter(title__in=titles).order_by("id"):
            found.setdefault(case.title, case)
        for title in titles:
            context.cases[f"title:{title}"] = found.get(title)


def _identifiers(context: Context, rows: list[ParsedRow]) -> None:
    wanted = {(kind, key) for row in rows for kind, key, _value in identifier_keys(row)}
    context.identifiers = dict.fromkeys(wanted)
    if not wanted:
        return
    found = (
        PersonIdentifier.objects.visible_to(context.user)
        .select_related("person")
        .annotate(upper_value=Upper("value"))
        .filter(kind__in={kind for kind, _key in wanted}, upper_value__in={key for _kind, key in wanted})
        .order_by("person_id", "kind", "pk")  # the first, as the row-by-row lookup takes it
    )
    for identifier in found:
        key = (identifier.kind, identifier.upper_value)
        if key in context.identifiers and context.identifiers[key] is None:
            context.identifiers[key] = identifier


# ------------------------------------------------------------ what people already have (committing)


def known_of(context: Context, person_ids) -> None:
    """Load, for people the chunk may write to, what they already have (their other names,
    identifiers, detentions, cases and requests) in five queries, so a row adds only
    what is missing without asking row by row (exchange/imports/write.py)."""
    wanted = {pk for pk in person_ids if pk and pk not in context.known}
    if not wanted:
        return
    for pk in wanted:
        context.known[pk] = Known()
    for person_id, name in PersonName.objects.filter(person_id__in=wanted).values_list("person_id", "name"):
        context.known[person_id].names.add(name)
    for person_id, kind, value in PersonIdentifier.objects.filter(person_id__in=wanted).values_list(
        "person_id", "kind", "value"
    ):
        context.known[person_id].identifiers.add((kind, value.upper()))
    for person_id, facility, started, ended in Detention.objects.filter(person_id__in=wanted).values_list(
        "person_id", "facility", "started_on", "ended_on"
    ):
        context.known[person_id].detentions.add((facility, started, ended))
    for person_id, case_id in CaseSubject.objects.filter(person_id__in=wanted).values_list("person_id", "case_id"):
        context.known[person_id].cases.add(case_id)
    for request in StatedRequest.objects.filter(person_id__in=wanted):  # in their ordering: the first one wins
        context.known[request.person_id].requests.setdefault((request.case_id, request.category, request.summary),
                                                             request)  # fmt: skip


def chunk_people(context: Context) -> set[int]:
    """The recorded people the chunk's rows may turn out to be (from its lookups)."""
    ids = set(context.people)
    ids |= {found.person_id for found in context.identifiers.values() if found is not None}
    ids |= {found[0].person.pk for found in context.candidates.values() if found}
    return ids
