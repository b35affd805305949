"""The full duplicate pass, scored in SQL: the same pairs, scores and reasons as scoring
one by one, across scripts and romanizations, and a cap that keeps common names from
pairing everyone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from people.duplicate_pass import duplicate_pass
from people.duplicates import CANDIDATE_SCORE, Draft, score
from people.models import DuplicatePair, PairStatus, Person
from people.reasons import labels
from tests import factories


@pytest.fixture
def pak(db):
    person = factories.PersonFactory(
        display_name="Pak Chol Ho", name_original="박철호", birth_date=datetime.date(1998, 1, 1),
        birth_date_precision="year", nationality="KP",
    )  # fmt: skip
    factories.PersonIdentifierFactory(person=person, kind="icrc", value="ICRC-777")
    return person


@pytest.mark.parametrize(
    ("spelling", "script"),
    [
        ("박철호", "Hangul"),  # the original script, as the only name of the other record
        ("Pak Ch'ŏl-ho", "Latin"),  # McCune-Reischauer
        ("Bak Cheol-ho", "Latin"),  # Revised Romanization
        ("Пак Чхоль Хо", "Cyrillic"),  # Russian (Kontsevich) transcription
    ],
)
def test_the_sql_pass_pairs_the_person_across_scripts_and_romanizations(spelling, script, pak):
    other = factories.PersonFactory(display_name=spelling, nationality="KP", birth_date=datetime.date(1998, 5, 1),
                                    birth_date_precision="month")  # fmt: skip
    factories.PersonFactory(display_name="Kim Jong Su", nationality="KP")  # shares nothing with them
    counts = duplicate_pass()
    pair = DuplicatePair.objects.get()
    assert (pair.person_a_id, pair.person_b_id) == (pak.pk, other.pk) and counts["queued"] == 1
    assert labels(pair.reasons)[0].startswith(("same name", "name matches")) and script in labels(pair.reasons)[0]
    assert {"born the same year", "same nationality"} <= set(labels(pair.reasons))
    expected = score(Draft.of(pak), other)
    assert (pair.score, pair.reasons) == (expected.score, expected.reasons), "as scoring one by one"


@pytest.fixture(params=["one chunk", "a chunk for every pair"])
def chunks(request, monkeypatch):
    """The queue written and the names worded all at once, or a pair at a time (as at a million people)."""
    if request.param != "one chunk":
        monkeypatch.setattr("people.duplicate_pass.QUEUE_CHUNK", 1)
        monkeypatch.setattr("people.duplicate_pass.NAME_BATCH", 1)


def test_the_sql_pass_scores_identifiers_birth_nationality_and_places_as_one_by_one(pak, chunks):
    twin = factories.PersonFactory(display_name="Bak Cheol-ho", nationality="KP")
    factories.PersonIdentifierFactory(person=twin, kind="icrc", value=" icrc-777 ")
    factories.DetentionFactory(person=pak, facility="Camp 15")
    factories.DetentionFactory(person=twin, facility="camp 15")
    apart = factories.PersonFactory(display_name="Pak Chol Ho", birth_date=datetime.date(1960, 1, 1),
                                    birth_date_precision="year", nationality="KP")  # fmt: skip
    elsewhere = factories.PersonFactory(display_name="Пак Чхоль Хо", nationality="RU")
    duplicate_pass()
    found = {(p.person_a_id, p.person_b_id): (p.score, p.reasons) for p in DuplicatePair.objects.all()}
    people = {p.pk: p for p in Person.objects.all()}
    for a, b in [(pak.pk, twin.pk), (pak.pk, apart.pk), (pak.pk, elsewhere.pk), (twin.pk, elsewhere.pk)]:
        expected = score(Draft.of(people[a]), people[b])
        if expected.score >= CANDIDATE_SCORE:
            assert found[(a, b)] == (expected.score, expected.reasons)
        else:
            assert (a, b) not in found, f"{people[a]} and {people[b]} score {expected.score}: not queued"
    assert {"same ICRC reference", "held in the same place"} <= set(labels(found[(pak.pk, twin.pk)][1]))
    assert (pak.pk, apart.pk) not in found, "born 38 years apart"


def test_a_common_name_pairs_only_those_born_the_same_year_and_judgements_stay(pak, settings, chunks):
    settings.VIGIL_DUPLICATE_KEY_CAP = 3
    same_year = factories.PersonFactory(display_name="Pak Chol Ho", birth_date=datetime.date(1998, 3, 1),
                                        birth_date_precision="month")  # fmt: skip
    factories.DetentionFactory(person=pak, facility="Camp 15")
    factories.DetentionFactory(person=same_year, facility="camp 15")
    namesake = factories.PersonFactory(display_name="Pak Chol Ho", birth_date=datetime.date(1998, 7, 1),
                                       birth_date_precision="month", nationality="KP")  # fmt: skip
    others = [factories.PersonFactory(display_name="Pak Chol Ho", birth_date=datetime.date(1970 + i, 1, 1),
                                      birth_date_precision="year") for i in range(3)]  # fmt: skip
    DuplicatePair.objects.create(person_a=pak, person_b=same_year, score=1, reasons=[], status=PairStatus.NOT_SAME)
    counts = duplicate_pass()
    pairs = {(p.person_a_id, p.person_b_id) for p in DuplicatePair.objects.all()}
    assert pairs == {(pak.pk, same_year.pk)}, "six share the name (over the cap): only the same year pairs"
    assert counts["pairs"] == 1, "and of those, only with more than the name and the year: the same place"
    assert score(Draft.of(pak), namesake).score == 55, "a namesake born the same year, nothing else: not queued"
    pair = DuplicatePair.objects.get()
    assert pair.status == PairStatus.NOT_SAME and pair.score > 1, "rescored, still judged not the same"
    assert all(o.pk not in {x for p in pairs for x in p} for o in others)


def test_birth_dates_known_to_the_day_that_differ_count_against_and_are_not_queued(pak, dana):
    born = {"birth_date": datetime.date(1998, 3, 14), "birth_date_precision": "day", "nationality": "KP"}
    first = factories.PersonFactory(display_name="Ri Jong Chol", **born)
    same_day = factories.PersonFactory(display_name="Lee Jung-chul", **born)
    other_day = factories.PersonFactory(display_name="Ri Jong Chol", **born | {"birth_date": datetime.date(1998, 9, 2)})
    to_the_year = factories.PersonFactory(
        display_name="리정철", **born | {"birth_date": datetime.date(1998, 1, 1), "birth_date_precision": "year"}
    )
    typo = factories.PersonFactory(display_name="Ri Jong Chol", **born | {"birth_date": datetime.date(1999, 3, 14)})
    factories.PersonIdentifierFactory(person=first, kind="icrc", value="ICRC-9")
    factories.PersonIdentifierFactory(person=typo, kind="icrc", value="icrc-9")
    found = score(Draft.of(first), other_day)
    assert "born on different days" in labels(found.reasons) and "born the same year" not in labels(found.reasons)
    assert found.score == 35 - 25 + 5 < CANDIDATE_SCORE
    with translation.override("ko"):
        assert "다른 날 출생" in labels(found.reasons), "written in the reader's language"
    counts = duplicate_pass()
    queue = [(p.person_b_id, p.score, labels(p.reasons)) for p in DuplicatePair.objects.filter(person_a=first)]
    assert [(b, s) for b, s, _ in queue] == [(typo.pk, 75), (same_day.pk, 60), (to_the_year.pk, 50)], "best first"
    assert "born on different days" in queue[0][2], "an identifier pairs them all the same"
    assert other_day.pk not in {p.person_b_id for p in DuplicatePair.objects.all()}
    assert counts["queued"] == DuplicatePair.objects.count()


def test_an_open_pair_no_longer_worth_a_review_leaves_the_queue_and_judgements_stay(pak):
    gone = factories.PersonFactory(display_name="Kim Jong Su")
    judged = factories.PersonFactory(display_name="Kim Jong Su", nationality="RU")
    DuplicatePair.objects.create(person_a=pak, person_b=gone, score=55, reasons=["born:year"])
    DuplicatePair.objects.create(person_a=pak, person_b=judged, score=55, reasons=[], status=PairStatus.NOT_SAME)
    twin = factories.PersonFactory(display_name="Bak Cheol-ho", nationality="KP")
    counts = duplicate_pass()
    left = {(p.person_b_id, p.status) for p in DuplicatePair.objects.all()}
    assert left == {(twin.pk, PairStatus.OPEN), (judged.pk, PairStatus.NOT_SAME)}, "Kim and Pak share no key"
    assert counts["left_the_queue"] == 1


SPELLINGS = [
    ["Pak Chol Ho", "박철호", "Bak Cheol-ho", "Пак Чхоль Хо", "Pak Ch'ŏl-ho"],
    ["Kim Jong Su", "김정수", "Kim Jung-soo", "Ким Чон Су"],
    ["Ri Jong Chol", "리정철", "Lee Jung-chul", "Ри Чон Чхоль"],
    ["Stephen Hall", "Steven Hall", "Hall, Stephen"],
]


@pytest.mark.parametrize("cap", [50, 3])
def test_the_sql_pass_queues_exactly_the_pairs_sharing_a_key_that_score_as_one_by_one(cap, settings, db):
    """Random people (names in several scripts, births to the day, month or year, nationalities,
    identifiers, places): the queue is every pair the pairing rule reaches scoring at least
    CANDIDATE_SCORE one by one, with the same score and reasons, and nothing else."""
    import random

    settings.VIGIL_DUPLICATE_KEY_CAP = cap
    rng = random.Random(cap)  # noqa: S311 (test data)
    for _ in range(40):
        names = rng.sample(rng.choice(SPELLINGS), 2)
        precision = rng.choice(["day", "day", "month", "year", "unknown"])
        month, day = rng.choice([1, 6]), rng.choice([1, 2])
        born = datetime.date(
            rng.choice([1970, 1971, 1975]),
            month if precision in ("day", "month") else 1,
            day if precision == "day" else 1,
        )
        person = factories.PersonFactory(
            display_name=names[0], name_original=rng.choice(["", names[1]]), nationality=rng.choice(["", "KP", "RU"]),
            birth_date=None if precision == "unknown" else born, birth_date_precision=precision,
        )  # fmt: skip
        if rng.random() < 0.4:
            factories.PersonNameFactory(person=person, name=rng.choice(SPELLINGS[rng.randrange(4)]))
        if rng.random() < 0.3:
            factories.PersonIdentifierFactory(person=person, kind="icrc", value=f"ICRC-{rng.randint(1, 4)}")
        if rng.random() < 0.3:
            factories.DetentionFactory(person=person, facility=rng.choice(["Camp 15", "camp 15 ", "Camp 9"]))
    people = list(Person.objects.prefetch_related("names", "identifiers", "detentions").order_by("pk"))
    keys = {p.pk: {("name", k) for k in Draft.of(p).whole_keys}
            | {("id", i.kind, i.value.strip().lower()) for i in p.identifiers.all()} for p in people}  # fmt: skip
    holders: dict = {}
    for p in people:
        for key in keys[p.pk]:
            holders.setdefault(key, []).append(p)

    def paired(a, b, reasons) -> bool:
        """Whether the pass pairs them and, through a common key, sees more than the name and the year."""
        shared = keys[a.pk] & keys[b.pk]
        if any(len(holders[key]) <= cap for key in shared):
            return True
        year = a.birth_date and b.birth_date and a.birth_date.year == b.birth_date.year and a.birth_date.year
        in_year = [
            key for key in shared if len([p for p in holders[key] if p.birth_date and p.birth_date.year == year]) <= cap
        ]
        return bool(year and in_year) and (any(key[0] == "id" for key in in_year) or bool(beyond & set(reasons)))

    beyond = {"born:day", "place:same"}
    expected = {}
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            found = score(Draft.of(a), b)
            if found.score >= CANDIDATE_SCORE and paired(a, b, found.reasons):
                expected[(a.pk, b.pk)] = (found.score, found.reasons)
    duplicate_pass()
    queued = {(p.person_a_id, p.person_b_id): (p.score, p.reasons) for p in DuplicatePair.objects.all()}
    assert queued == expected and len(expected) > 10
