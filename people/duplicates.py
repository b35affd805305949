"""Duplicate people: found when a person is created, reviewed in a queue, merged and unmerged.

Finding is index-driven: a person's stored name keys (people/names.py; the
whole-name keys x:, k:, m:, never the per-word t: keys) and identifier values
are looked up through their indexes, so a new person is compared with the few
people who share a key, never with everyone. The full pass
(people/duplicate_pass.py) pairs the stored keys in SQL and scores only the
pairs that share one, with the same ``POINTS``.

Each candidate gets a score and its reasons ("same ICRC reference", "name
matches in Hangul and Latin", "born the same year", "born on different days");
above ``CANDIDATE_SCORE`` it is shown.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from people import reasons
from people.models import (
    DuplicatePair,
    PairStatus,
    Person,
    PersonIdentifier,
    PersonName,
)
from people.names import name_keys

#: Below this a pair is not worth a reviewer's time.
CANDIDATE_SCORE = 30
#: At or above this an import links a row to the person instead of creating one.
STRONG_SCORE = 60
#: The most candidates fetched for one person (ranked after fetching).
MAX_FETCHED = 50
#: The points of each kind of evidence, shared by ``score`` and the full pass's SQL
#: (people/duplicate_pass.py), so the two always agree.
POINTS = {
    "name:exact": 35, "name:key": 30, "name:sound": 15, "identifier": 60,
    "born:day": 25, "born:year": 15, "born:near": 5, "born:other-day": -25, "born:apart": -40,
    "nationality:same": 5, "nationality:different": -25, "place:same": 10,
}  # fmt: skip

from people.merging import MERGE_PERMISSION, REVIEW_PERMISSION  # noqa: E402


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
                what = reasons.NAME_EXACT
            elif any(k.startswith("k:") for k in shared):
                what = reasons.NAME_KEY
            elif any(k.startswith("m:") for k in shared):
                what = reasons.NAME_SOUND
            else:
                continue
            score, what = POINTS[what], reasons.name(what, [script_of(mine), script_of(theirs)])
            if score > best:
                best, reason = score, what
    return best, reason


def birth_agreement(mine, my_precision: str, theirs, their_precision: str) -> str | None:
    """The reason code two birth dates give (None when either is unknown). Two dates known to
    the day that differ are evidence against, not "born the same year"."""
    if mine is None or theirs is None:
        return None
    to_the_day = my_precision == "day" and their_precision == "day"
    gap = abs(mine.year - theirs.year)
    if to_the_day and mine == theirs:
        return reasons.birth_gap(-1)
    if to_the_day and gap <= 1:
        return reasons.BORN_OTHER_DAY
    return reasons.birth_gap(gap)


def birth_points(code: str) -> int:
    return POINTS["born:apart"] if code.startswith("born:apart:") else POINTS[code]


def _birth_reason(draft: Draft, person: Person) -> tuple[int, str | None]:
    code = birth_agreement(draft.birth_date, draft.birth_precision, person.birth_date, person.birth_date_precision)
    return (0, None) if code is None else (birth_points(code), code)


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
            total += POINTS["identifier"]
            found.append(reasons.identifier(kind))
    points, reason = _birth_reason(draft, person)
    total += points
    found += [reason] if reason else []
    if draft.nationality and person.nationality:
        same = draft.nationality == str(person.nationality)
        code = reasons.NATIONALITY_SAME if same else reasons.NATIONALITY_DIFFERENT
        total += POINTS[code]
        found.append(code)
    places = {d.facility.strip().casefold() for d in person.detentions.all() if d.facility}
    if places & {p.strip().casefold() for p in draft.places if p}:
        total += POINTS[reasons.PLACE_SAME]
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
        raise PermissionDenied(gettext("Only a data manager reviews duplicates."))
    visible = Person.objects.visible_to(user).filter(pk__in=[person.pk, other.pk])
    if visible.count() != 2 or person.pk == other.pk:
        raise PermissionDenied(gettext("You may only judge people you may see."))
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


# The merging half lives in people/merging.py; its names are still found here.
from people.merging import (  # noqa: E402
    MERGEABLE_FIELDS,
    merge_differences,
    merged_survivor,
    person_merge,
    person_merge_undo,
)

__all__ = [
    "CANDIDATE_SCORE",
    "MAX_FETCHED",
    "MERGEABLE_FIELDS",
    "MERGE_PERMISSION",
    "REVIEW_PERMISSION",
    "STRONG_SCORE",
    "Candidate",
    "Draft",
    "candidates_for",
    "merge_differences",
    "merged_survivor",
    "pair_dismiss",
    "person_merge",
    "person_merge_undo",
    "review_queue",
    "score",
]
