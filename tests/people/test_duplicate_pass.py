"""The full duplicate pass, scored in SQL: the same pairs, scores and reasons as scoring
one by one, across scripts and romanizations, and a cap that keeps common names from
pairing everyone."""

from __future__ import annotations

import datetime

import pytest

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


@pytest.fixture(params=["one bucket", "a bucket for every few keys"])
def buckets(request, monkeypatch):
    """The keys paired all at once, or split by their hash into many buckets (as at a million people)."""
    if request.param != "one bucket":
        monkeypatch.setattr("people.duplicate_pass.BUCKET_ROWS", 1)


def test_the_sql_pass_scores_identifiers_birth_nationality_and_places_as_one_by_one(pak, buckets):
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


def test_a_common_name_pairs_only_those_born_the_same_year_and_judgements_stay(pak, settings, buckets):
    settings.VIGIL_DUPLICATE_KEY_CAP = 3
    same_year = factories.PersonFactory(display_name="Pak Chol Ho", birth_date=datetime.date(1998, 3, 1),
                                        birth_date_precision="month")  # fmt: skip
    others = [factories.PersonFactory(display_name="Pak Chol Ho", birth_date=datetime.date(1970 + i, 1, 1),
                                      birth_date_precision="year") for i in range(3)]  # fmt: skip
    DuplicatePair.objects.create(person_a=pak, person_b=same_year, score=1, reasons=[], status=PairStatus.NOT_SAME)
    counts = duplicate_pass()
    pairs = {(p.person_a_id, p.person_b_id) for p in DuplicatePair.objects.all()}
    assert pairs == {(pak.pk, same_year.pk)}, "five share the name (over the cap): only the same year pairs"
    assert counts["pairs"] == 1
    pair = DuplicatePair.objects.get()
    assert pair.status == PairStatus.NOT_SAME and pair.score > 1, "rescored, still judged not the same"
    assert all(o.pk not in {x for p in pairs for x in p} for o in others)
