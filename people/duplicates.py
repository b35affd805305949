"""Duplicate people: found when a person is created, reviewed in a queue, merged and unmerged.

Finding is index-driven: a person's stored name keys (people/names.py; the
whole-name keys x:, k:, m:, never the per-word t: keys) and identifier values
are looked up through their indexes, so a new person is compared with the few
people who share a key, never with everyone. The full pass groups the stored
keys (one GROUP BY over the key arrays) and scores only the pairs that share
one.

Each candidate gets a score and its reasons ("same ICRC reference", "name
matches in Hangul and Latin", "born the same year"); above ``CANDIDATE_SCORE``
it is shown.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.bin import RESTORE, bin_move, bin_restore
from people import reasons
from people.models import (
    DuplicatePair,
    PairStatus,
    Person,
    PersonIdentifier,
    PersonMerge,
    PersonName,
)
from people.names import name_keys

#: Below this a pair is not worth a reviewer's time.
CANDIDATE_SCORE = 30
#: At or above this an import links a row to the person instead of creating one.
STRONG_SCORE = 60
#: The most candidates fetched for one person (ranked after fetching).
MAX_FETCHED = 50

MERGE_PERMISSION = "people.change_person"
REVIEW_PERMISSION = "people.review_duplicates"  # data managers (core/roles.py)


@dataclass
class Draft:
    """What is known of a person about to be created (a form, an API body, an import row)."""

    names: list[str]
    birth_date: datetime.date | None = None
    birth_precision: str = "unknown"
    nationality: str = ""
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, person: Person) -> Draft:
        names = [person.display_name, person.name_original, *(n.name for n in person.names.all())]
        return cls(
            names=[name for name in names if name],
            birth_date=person.birth_date,
            birth_precision=person.birth_date_precision,
            nationality=str(person.nationality or ""),
            identifiers=[(i.kind, i.value) for i in person.identifiers.all()],
            places=[d.facility for d in person.detentions.all() if d.facility],
        )

    @property
    def whole_keys(self) -> set[str]:
        return {key for key in name_keys(*self.names) if not key.startswith("t:")}


@dataclass
class Candidate:
    person: Person
    score: int
    reasons: list[str]

    def as_dict(self) -> dict:
        return {
            "id": self.person.pk,
            "display_name": self.person.display_name,
            "name_original": self.person.name_original,
            "score": self.score,
            "reasons": reasons.labels(self.reasons),
        }


@functools.lru_cache(maxsize=200_000)
def script_of(name: str) -> str:
    """The script a name is written in, as an advocate would say it."""
    for char in name:
        if not char.isalpha():
            continue
        label = unicodedata.name(char, "")
        if label.startswith("HANGUL"):
            return "Hangul"
        if label.startswith("CYRILLIC"):
            return "Cyrillic"
        if label.startswith("CJK"):
            return "Chinese characters"
        if label.startswith("LATIN"):
            return "Latin"
    return "another script"


@functools.lru_cache(maxsize=200_000)
def _keys_of(name: str) -> frozenset[str]:
    """A name's keys, computed once per distinct spelling (names repeat across records)."""
    return frozenset(name_keys(name))


def _name_reason(draft: Draft, names: list[str]) -> tuple[int, str | None]:
    """The strongest agreement between the draft's names and a candidate's."""
    best, reason = 0, None
    for mine in draft.names:
        my_keys = _keys_of(mine)
        for theirs in names:
            shared = my_keys & _keys_of(theirs)
            if any(k.startswith("x:") for k in shared):
                score, what = 35, reasons.NAME_EXACT
            elif any(k.startswith("k:") for k in shared):
                score, what = 30, reasons.NAME_KEY
            elif any(k.startswith("m:") for k in shared):
                score, what = 15, reasons.NAME_SOUND
            else:
                continue
            what = reasons.name(what, [script_of(mine), script_of(theirs)])
            if score > best:
                best, reason = score, what
    return best, reason


def _birth_reason(draft: Draft, person: Person) -> tuple[int, str | None]:
    mine, theirs = draft.birth_date, person.birth_date
    if mine is None or theirs is None:
        return 0, None
    if draft.birth_precision == "day" and person.birth_date_precision == "day" and mine == theirs:
        return 25, reasons.birth_gap(-1)
    if mine.year == theirs.year:
        return 15, reasons.birth_gap(0)
    if abs(mine.year - theirs.year) <= 1:
        return 5, reasons.birth_gap(1)
    return -40, reasons.birth_gap(abs(mine.year - theirs.year))


def score(draft: Draft, person: Person) -> Candidate:
    """How likely ``person`` (with names, identifiers and detentions prefetched) is the draft."""
    total, found = 0, []
    names = [person.display_name, person.name_original, *(n.name for n in person.names.all())]
    points, reason = _name_reason(draft, [name for name in names if name])
    total += points
    found += [reason] if reason else []
    theirs = {(i.kind, i.value.strip().casefold()) for i in person.identifiers.all()}
    for kind, value in draft.identifiers:
        if (kind, value.strip().casefold()) in theirs:
            total += 60
            found.append(reasons.identifier(kind))
    points, reason = _birth_reason(draft, person)
    total += points
    found += [reason] if reason else []
    if draft.nationality and person.nationality:
        if draft.nationality == str(person.nationality):
            total += 5
            found.append(reasons.NATIONALITY_SAME)
        else:
            total -= 25
            found.append(reasons.NATIONALITY_DIFFERENT)
    places = {d.facility.strip().casefold() for d in person.detentions.all() if d.facility}
    if places & {p.strip().casefold() for p in draft.places if p}:
        total += 10
        found.append(reasons.PLACE_SAME)
    return Candidate(person=person, score=max(total, 0), reasons=found)


def _fetch(people, draft: Draft, *, exclude: Iterable[int] = ()):
    """People sharing a whole-name key (GIN index) who could still score as a candidate
    (not born years apart, not of another nationality), or sharing an identifier."""
    keys = sorted(draft.whole_keys)
    plausible = Q()
    if draft.birth_date is not None:
        year = draft.birth_date.year
        plausible &= Q(birth_date__isnull=True) | Q(birth_date__year__range=(year - 1, year + 1))
    if draft.nationality:
        plausible &= Q(nationality="") | Q(nationality=draft.nationality)
    by_keys = Person.objects.filter(plausible, name_keys__overlap=keys).values("pk")
    by_names = PersonName.objects.filter(name_keys__overlap=keys).values("person_id")
    found = by_keys.union(by_names)
    values = [value for _kind, value in draft.identifiers if value]
    if values:
        found = found.union(PersonIdentifier.objects.filter(value__in=values).values("person_id"))
    return (
        people.filter(pk__in=found)
        .exclude(pk__in=list(exclude))
        .prefetch_related("names", "identifiers", "detentions")[:MAX_FETCHED]
    )


def candidates_for(
    *, draft: Draft, user, exclude: Iterable[int] = (), limit: int = 10, person: Person | None = None
) -> list[Candidate]:
    """People ``user`` may see who may be the draft (or ``person``), best first; for a
    recorded person, those already judged "not the same person" are left out."""
    if not draft.names and not draft.identifiers:
        return []
    exclude = set(exclude)
    if person is not None:
        exclude.add(person.pk)
        decided = DuplicatePair.objects.filter(Q(person_a=person) | Q(person_b=person), status=PairStatus.NOT_SAME)
        for a, b in decided.values_list("person_a", "person_b"):
            exclude |= {a, b}
    found = [score(draft, person) for person in _fetch(Person.objects.visible_to(user), draft, exclude=exclude)]
    found = [c for c in found if c.score >= CANDIDATE_SCORE]
    found.sort(key=lambda c: (-c.score, c.person.pk))
    return found[:limit]


# ------------------------------------------------------------ the review queue


def review_queue(*, user):
    """Open pairs the user may see both people of, best first (data managers see all)."""
    visible = Person.objects.visible_to(user).values("pk")
    return (
        DuplicatePair.objects.filter(status=PairStatus.OPEN, person_a__in=visible, person_b__in=visible)
        .select_related("person_a", "person_b")
        .order_by("-score", "id")
    )


@transaction.atomic
def pair_dismiss(*, person: Person, other: Person, user) -> DuplicatePair:
    """'Not the same person': remembered, never offered again (queue or person page)."""
    if not user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied("Only a data manager reviews duplicates.")
    visible = Person.objects.visible_to(user).filter(pk__in=[person.pk, other.pk])
    if visible.count() != 2 or person.pk == other.pk:
        raise PermissionDenied("You may only judge people you may see.")
    a, b = sorted((person.pk, other.pk))
    found = score(Draft.of(Person.objects.get(pk=a)), Person.objects.get(pk=b))
    pair, _created = DuplicatePair.objects.update_or_create(
        person_a_id=a,
        person_b_id=b,
        defaults={"status": PairStatus.NOT_SAME, "decided_by": user, "decided_at": timezone.now()},
        create_defaults={
            "status": PairStatus.NOT_SAME,
            "decided_by": user,
            "decided_at": timezone.now(),
            "score": found.score,
            "reasons": found.reasons,
        },
    )
    return pair


# ------------------------------------------------------------------ merging

#: Person fields a merge may take from the other record.
MERGEABLE_FIELDS = [
    f.name
    for f in Person._meta.concrete_fields
    if f.editable and not f.primary_key and f.name not in {"display_name"} | {"name_keys"}
] + ["display_name"]


def _audience(person: Person) -> frozenset | str:
    """Who can see ``person`` through its cases: everyone (in a normal case, or in
    none), or the teams of the restricted cases it is in."""
    # casework is above people on the ladder (tests/test_layers.py): its models by name.
    case_subject, case_member = apps.get_model("casework", "CaseSubject"), apps.get_model("casework", "CaseMember")
    subjects = case_subject.objects.filter(person=person, case__deleted_at__isnull=True).select_related("case")
    cases = [s.case for s in subjects]
    if not cases or any(c.confidentiality == "normal" for c in cases):
        return "everyone"
    members = case_member.objects.filter(case__in=cases).values_list("user_id", flat=True)
    return frozenset({*members, *(c.lead_id for c in cases if c.lead_id)})


def _link_relations():
    """Every foreign key to Person that a merge moves (case subjects, requests,
    detentions, names, identifiers, events' people…), less history and bookkeeping."""
    skip = {DuplicatePair, PersonMerge, Person}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if model in skip or not relation.one_to_many or model._meta.app_label == "pghistory":
            continue
        if model.__name__.endswith("History"):
            continue
        yield model, relation.field.name


def person_merge(*, survivor: Person, other: Person, user, take: Iterable[str] = ()) -> PersonMerge:
    """Merge ``other`` into ``survivor``: the fields named in ``take`` come from the
    other record (blank fields of the survivor are filled from it anyway), names
    and identifiers are united, every link moves to the survivor, and the other
    goes to the bin as "merged into" the survivor. One transaction; undone by
    ``person_merge_undo``."""
    with transaction.atomic():
        return _merge(survivor=survivor, other=other, user=user, take=set(take))


def _merge(*, survivor, other, user, take) -> PersonMerge:
    if not all(user.has_perm(p) for p in (MERGE_PERMISSION, "people.delete_person", REVIEW_PERMISSION)):
        raise PermissionDenied("Only a data manager merges people.")
    visible = Person.objects.visible_to(user)
    if survivor.pk == other.pk:
        raise ValidationError("A person cannot be merged into themselves.")
    locked = {p.pk: p for p in visible.select_for_update(of=("self",)).filter(pk__in=[survivor.pk, other.pk])}
    if len(locked) != 2:
        raise PermissionDenied("You may only merge people you may see.")
    survivor, other = locked[survivor.pk], locked[other.pk]
    if _audience(survivor) != _audience(other):
        raise ValidationError(
            "These two are seen by different teams (a restricted case): merging them would show one team's "
            "person to the other. Ask a data manager to move the cases first."
        )
    unknown = take - set(MERGEABLE_FIELDS)
    if unknown:
        raise ValidationError({"take": f"Not a field a merge can take: {', '.join(sorted(unknown))}."})
    before = {name: _json(getattr(survivor, Person._meta.get_field(name).attname)) for name in MERGEABLE_FIELDS}
    changed = []
    for name in MERGEABLE_FIELDS:
        theirs, mine = getattr(other, name), getattr(survivor, name)
        default = Person._meta.get_field(name).get_default()
        wanted = name in take or (mine in ("", None, default) and theirs not in ("", None, default))
        if wanted and theirs != mine:
            setattr(survivor, name, theirs)
            changed.append(name)
    if changed:
        survivor.save()
    moved: dict[str, list[int]] = {}
    for model, fk in _link_relations():
        for row in model._base_manager.filter(**{fk: other.pk}).only("pk"):
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=row.pk).update(**{fk: survivor.pk})
            except IntegrityError:
                continue  # the survivor already has it (same case, same name): it stays with the other, binned
            moved.setdefault(model._meta.label, []).append(row.pk)
    names_added = []
    known = {survivor.display_name, survivor.name_original, *survivor.names.values_list("name", flat=True)}
    for name in (other.display_name, other.name_original):
        if name and name not in known:
            added = PersonName.objects.create(person=survivor, name=name, note=f"from merged record #{other.pk}")
            names_added.append(added.pk)
            known.add(name)
    merge = PersonMerge.objects.create(
        survivor=survivor, merged=other, merged_by=user, survivor_before=before, moved=moved, names_added=names_added
    )
    Person.objects.filter(pk=other.pk).update(merged_into=survivor)
    bin_move(other, user=user)
    a, b = sorted((survivor.pk, other.pk))
    DuplicatePair.objects.filter(person_a=a, person_b=b).update(
        status=PairStatus.MERGED, decided_by=user, decided_at=timezone.now()
    )
    return merge


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "code"):  # a django-countries Country
        return value.code or ""
    return value


@transaction.atomic
def person_merge_undo(*, merge: PersonMerge, user) -> None:
    """Undo a merge from the bin: the links go back, the survivor's values are as
    they were, the names the merge added are removed and the other is restored."""

    if not user.has_perm(RESTORE):
        raise PermissionDenied("Only a data manager undoes a merge.")
    if merge.undone_at:
        raise ValidationError("This merge was already undone.")
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    other = Person.objects.get(pk=merge.merged_id)
    relations = {model._meta.label: fk for model, fk in _link_relations()}
    for label, ids in merge.moved.items():
        model = apps.get_model(label)
        model._base_manager.filter(pk__in=ids).update(**{relations[label]: other.pk})
    PersonName.objects.filter(pk__in=merge.names_added).delete()
    for name, value in merge.survivor_before.items():
        field = Person._meta.get_field(name)
        if field.get_internal_type() == "DateField" and value:
            value = datetime.date.fromisoformat(value)
        setattr(survivor, field.attname, value)
    survivor.save()
    Person.objects.filter(pk=other.pk).update(merged_into=None)
    other.merged_into = None  # restored as itself, not through its merge again (Person.restore_from_bin)
    bin_restore(other, user=user)
    PersonMerge.objects.filter(pk=merge.pk).update(undone_at=timezone.now(), undone_by=user)
    a, b = sorted((survivor.pk, other.pk))
    DuplicatePair.objects.filter(person_a=a, person_b=b).update(
        status=PairStatus.OPEN, decided_by=None, decided_at=None
    )


def merged_survivor(*, pk: int, user) -> Person | None:
    """The person a merged record now lives on, if ``user`` may see it (for redirects)."""
    merged = Person.objects.filter(pk=pk, merged_into__isnull=False).values_list("merged_into", flat=True).first()
    seen = set()
    while merged is not None and merged not in seen:
        seen.add(merged)
        survivor = Person.objects.visible_to(user).filter(pk=merged).first()
        if survivor is not None:
            return survivor
        merged = Person.objects.filter(pk=merged).values_list("merged_into", flat=True).first()
    return None


def merge_differences(survivor: Person, other: Person) -> list[dict]:
    """The fields where the two records differ, for choosing which value wins."""
    rows = []
    for name in MERGEABLE_FIELDS:
        field = Person._meta.get_field(name)
        mine, theirs = getattr(survivor, name), getattr(other, name)
        if mine == theirs or theirs in ("", None):
            continue
        if name in Person.SENSITIVE_FIELDS:
            continue  # merged like the rest (blank filled), but not shown side by side
        display = f"get_{name}_display"
        rows.append(
            {
                "name": name,
                "label": str(field.verbose_name),
                "mine": getattr(survivor, display)() if hasattr(survivor, display) else mine,
                "theirs": getattr(other, display)() if hasattr(other, display) else theirs,
                "fills_blank": mine in ("", None, field.get_default()),
            }
        )
    return rows
