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


# Korean names in Russian (Kontsevich) transcription: Х writes ㅎ (h), Кх/Чх/Пх/Тх the
# aspirates, В the w of a diphthong. Each row: one person recorded in Latin and Hangul,
# and the Cyrillic spelling a Russian-language report gives them.
KONTSEVICH = [
    ("Kim Hyok", "김혁", "Ким Хёк"),
    ("Ri Chol", "리철", "Ри Чхоль"),
    ("Ho Chol Hwan", "허철환", "Хо Чхоль Хван"),
    ("Han Thae Yong", "한태영", "Хан Тхэ Ён"),
    ("Phyo Kwang Hyon", "표광현", "Пхё Кван Хён"),
    ("Kim Jong Hun", "김정훈", "Ким Чжон Хун"),
    ("Ri Chol Ho", "리철호", "Ли Чхоль Хо"),  # Ли: the South's reading of 리, as Russian reports often write it
    ("Kim Hyon", "김현", "Ким Хён"),
    ("Thae Yong Ho", "태영호", "Тхэ Ён Хо"),
]


@pytest.mark.parametrize(("latin", "hangul", "cyrillic"), KONTSEVICH, ids=[row[0] for row in KONTSEVICH])
def test_a_cyrillic_spelling_finds_the_latin_and_hangul_record(db, latin, hangul, cyrillic):
    person = factories.PersonFactory(display_name=latin, name_original=hangul)
    factories.PersonFactory(display_name="Pak Kwang Il", name_original="박광일")
    assert list(Person.objects.search_names(cyrillic)) == [person]
    # h is silent to the keys (Hun and Un differ only there): a namesake matches, ranked after
    factories.PersonFactory(display_name="Kim Jong Un", name_original="김정은")
    assert Person.objects.search_names(cyrillic).first() == person


@pytest.mark.parametrize(("latin", "hangul", "cyrillic"), KONTSEVICH, ids=[row[0] for row in KONTSEVICH])
def test_a_cyrillic_record_is_found_by_its_latin_and_hangul_spellings(db, latin, hangul, cyrillic):
    person = factories.PersonFactory(display_name="Someone")
    factories.PersonNameFactory(person=person, name=cyrillic, language="ru-Cyrl")
    for spelling in (latin, hangul):
        assert list(Person.objects.search_names(spelling)) == [person], spelling


def test_one_cyrillic_word_finds_the_names_holding_it(db):
    hyok = factories.PersonFactory(display_name="Kim Hyok", name_original="김혁")
    factories.PersonFactory(display_name="Kim Jong Un")
    assert list(Person.objects.search_names("Хёк")) == [hyok]
    assert list(Person.objects.search_names("Пхеньян")) == []  # nobody named after the city


def test_a_russian_name_with_kh_still_finds_its_latin_spelling(db):
    mikhail = factories.PersonFactory(display_name="Mikhail Ivanov")
    assert list(Person.objects.search_names("Михаил Иванов")) == [mikhail]
    assert list(Person.objects.search_names("Михаил")) == [mikhail]


def test_a_persons_keys_follow_every_name_added_moved_or_deleted(ri, others):
    """The search table (people.PersonSearch) is kept by triggers, whatever writes the names."""
    from people.models import PersonName

    kim, paek = others
    PersonName.objects.create(person=kim, name="Хо Чхоль Хван")
    assert list(Person.objects.search_names("Ho Chol Hwan")) == [kim]
    PersonName.objects.filter(person=kim, name="Хо Чхоль Хван").update(person=paek)  # a queryset update too
    assert list(Person.objects.search_names("Ho Chol Hwan")) == [paek]
    PersonName.objects.filter(name="Хо Чхоль Хван").delete()
    assert list(Person.objects.search_names("Ho Chol Hwan")) == []
    Person.objects.filter(pk=paek.pk).update(display_name="Renamed", name_keys=["x:renamed"])
    assert list(Person.objects.search_names("Renamed")) == [paek]


def test_the_exact_spelling_ranks_above_a_person_whose_several_names_share_every_key(db):
    exact = factories.PersonFactory(display_name="Ri Jong Chol")
    many = factories.PersonFactory(display_name="Aaa")
    factories.PersonNameFactory(person=many, name="Lee Jong Chul")
    factories.PersonNameFactory(person=many, name="Ri Jong Chull")
    results = list(Person.objects.search_names("Ri Jong Chol"))
    assert results == [exact, many]
    assert results[0].name_rank > results[1].name_rank


def test_access_is_checked_down_the_ranked_list(alice, olivia, restricted_case):
    """Better matches the user may not see rank above the one they may: the page still finds it."""
    hidden = factories.RestrictedCaseFactory()
    for _ in range(30):
        factories.CaseSubjectFactory(case=hidden, person__display_name="Ri Jong Chol")
    seen = factories.CaseSubjectFactory(case=restricted_case, person__display_name="Ri Jong-chull").person
    assert list(Person.objects.visible_to(alice).search_names("Ri Jong Chol")[:5]) == [seen]
    assert list(Person.objects.visible_to(olivia).search_names("Ri Jong Chol")[:5]) == []


def _people_named(name: str, count: int, *, case=None) -> list:
    """``count`` people named ``name`` (in ``case`` if given), written in three statements."""
    from casework.models import CaseSubject
    from people.models import PersonName

    people = [Person(display_name=name) for _ in range(count)]
    for person in people:
        person.refresh_name_keys()  # as save() would (bulk loaders do it themselves)
    Person.objects.bulk_create(people)
    names = [PersonName(person=person, name=name) for person in people]
    for row in names:
        row.refresh_name_keys()
    PersonName.objects.bulk_create(names)
    if case is not None:
        CaseSubject.objects.bulk_create([CaseSubject(case=case, person=person, role="detainee") for person in people])
    return people


def test_a_visible_match_ranked_below_a_whole_window_of_hidden_ones_is_found(alice, restricted_case):
    """More better matches than one window of candidates (SEARCH_CANDIDATES, 500) are in a case
    Alice may not see: the search reads on past them, on every interface's way of paging."""
    from django.core.paginator import Paginator

    from people.querysets import SEARCH_CANDIDATES

    _people_named("Ri Jong Chol", SEARCH_CANDIDATES + 20, case=factories.RestrictedCaseFactory())
    seen = factories.CaseSubjectFactory(case=restricted_case, person__display_name="Ri Jong-chull").person
    assert Person.objects.search_names("Ri Jong Chol")[:1].get().display_name == "Ri Jong Chol"  # better ranked
    found = Person.objects.visible_to(alice).search_names("Ri Jong Chol")
    assert list(found[:5]) == [seen]  # a slice: the API's and the header search's pages
    assert list(found) == [seen]
    page = Paginator(found, 50).page(1)  # the dashboard's numbered pages: the count agrees
    assert (page.paginator.count, list(page.object_list)) == (1, [seen])


def test_a_full_first_window_reads_no_further(alice, restricted_case, django_assert_max_num_queries):
    _people_named("Ri Jong Chol", 3, case=restricted_case)
    alice.get_all_permissions()  # read with the user on a request (core.backends): not the search's
    with django_assert_max_num_queries(1):
        assert len(Person.objects.visible_to(alice).search_names("Ri Jong Chol")[:2]) == 2


def test_a_page_walks_window_after_window_until_it_is_filled(alice, restricted_case, monkeypatch):
    """With a window of 2: three hidden better matches, then four visible ones; a page of 3 gets
    the three best visible, in rank order, and the candidates' end stops the walk."""
    monkeypatch.setattr("people.querysets.SEARCH_CANDIDATES", 2)
    _people_named("Ri Jong Chol", 3, case=factories.RestrictedCaseFactory())
    visible = _people_named("Ri Jong-chull", 4, case=restricted_case)
    found = Person.objects.visible_to(alice).search_names("Ri Jong Chol")
    assert list(found[:3]) == sorted(visible, key=lambda person: person.pk)[:3]
    assert len(found[:10]) == 4
    fresh = Person.objects.visible_to(alice).search_names("Ri Jong Chol")
    assert fresh[:10].count() == 4  # a count (a paginator's) walks too: windows of 2, 4, then 8


def test_a_page_the_first_window_does_not_fill_knows_from_its_rows_that_no_candidate_is_left(
    alice, restricted_case, django_assert_max_num_queries
):
    seen = _people_named("Ri Jong Chol", 1, case=restricted_case)
    alice.get_all_permissions()
    with django_assert_max_num_queries(1):
        assert list(Person.objects.visible_to(alice).search_names("Ri Jong Chol")[:50]) == seen
