"""A person is found by any recorded name and by unrecorded spellings of it."""

import pytest

from people.models import Person
from tests import factories


@pytest.fixture
def ri(db):
    person = factories.PersonFactory(display_name="Ri Jong Chol")
    factories.PersonNameFactory(person=person, name="Ri Jong Chol")
    factories.PersonNameFactory(person=person, name="리정철", kind="original")
    return person


@pytest.fixture
def others(db):
    kim = factories.PersonFactory(display_name="Kim Jong Un", name_original="김정은")
    paek = factories.PersonFactory(display_name="Paek Kwang Hyok", name_original="백광혁")
    return kim, paek


@pytest.mark.parametrize(
    "spelling",
    [
        "리정철",
        "이정철",
        "Ri Jong Chol",
        "Lee Jung-chul",
        "Yi Jeong-cheol",
        "Ри Чон Чхоль",
        "RI JONG-CHOL",
        "Rhee Jong Chul",
    ],
)
def test_every_spelling_finds_the_person(spelling, ri, others):
    assert list(Person.objects.search_names(spelling)) == [ri]


def test_a_different_persons_name_does_not_find_him(ri, others):
    kim, paek = others
    assert list(Person.objects.search_names("Kim Jong-un")) == [kim]
    assert list(Person.objects.search_names("Baek Gwang-hyeok")) == [paek]
    assert list(Person.objects.search_names("Ким Чен Ын")) == [kim]


def test_the_exact_spelling_ranks_first(db):
    exact = factories.PersonFactory(display_name="Lee Jung-chul")
    variant = factories.PersonFactory(display_name="Ri Jong Chol")
    results = list(Person.objects.search_names("Lee Jung-chul"))
    assert results == [exact, variant]
    assert results[0].name_rank > results[1].name_rank


def test_one_word_finds_every_name_with_that_word(ri, others):
    kim, _ = others
    assert set(Person.objects.search_names("Jong")) == {ri, kim}


def test_an_empty_or_symbol_only_query_finds_nobody(ri):
    assert not Person.objects.search_names("").exists()
    assert not Person.objects.search_names("--- !!").exists()


def test_renaming_refreshes_the_keys(ri):
    name = ri.names.get(name="리정철")
    name.name = "김철수"
    name.save()
    person = factories.PersonFactory(display_name="Someone")
    assert list(Person.objects.search_names("이정철")) == [ri], "still found by the display name's keys"
    assert person not in Person.objects.search_names("Kim Chol Su")
    assert ri in Person.objects.search_names("Kim Chol Su")
