"""Records keep their original words with their language, beside any number of
translations: the reader sees their language when a translation exists, the
original one click away and always in print; search finds a record by either;
a person's name comes first in the reader's script where one is recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.services import preferences_set, translation_record
from tests import factories
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_storage")

ORIGINAL = "포로들은 한국으로 이송되기를 원한다고 말했다"
UKRAINIAN = "Полонені сказали, що хочуть переїхати до Кореї"
ENGLISH = "The prisoners said they want to go to Korea"


@pytest.fixture
def korean_event(kursk_case, editor):
    event = factories.EventFactory(
        case=kursk_case, title="인터뷰", description=ORIGINAL, language="ko", kind="interview"
    )
    translation_record(
        user=editor,
        record=event,
        field="description",
        language="uk",
        text=UKRAINIAN,
        kind="human",
        translated_by="Oksana",
        checked=True,
        checked_by="Dmytro",
    )
    translation_record(user=editor, record=event, field="description", language="en", text=ENGLISH, kind="machine")
    return event


def page(client, user, case, language):
    preferences_set(user=user, language=language, time_zone="")
    client.force_login(user)
    return client.get(reverse("case_detail", args=[case.reference])).content.decode()


def test_a_reader_sees_their_language_with_the_original_one_click_away(client, editor, kursk_case, korean_event):
    html = page(client, editor, kursk_case, "uk")
    assert f'<span lang="uk">{UKRAINIAN}</span>' in html
    # The original, in a <details> on screen and in a block shown only in print.
    assert html.count(f'<span lang="ko">{ORIGINAL}</span>') == 2
    assert '<details class="original no-print">' in html
    assert "Oksana" in html


def test_a_reader_of_the_original_language_sees_only_the_original(client, editor, kursk_case, korean_event):
    html = page(client, editor, kursk_case, "ko")
    assert ORIGINAL in html
    assert UKRAINIAN not in html and ENGLISH not in html


def test_the_original_is_kept_untouched(editor, korean_event):
    korean_event.refresh_from_db()
    assert (korean_event.description, korean_event.language) == (ORIGINAL, "ko")
    assert {t.language for t in korean_event.translations.all()} == {"uk", "en"}


def test_a_second_translation_into_the_same_language_replaces_the_first(editor, korean_event):
    translation_record(user=editor, record=korean_event, field="description", language="uk", text="Інший переклад")
    assert korean_event.translations.filter(language="uk").get().text == "Інший переклад"


def test_the_dossier_shows_the_original_first_and_the_translation(client, editor, kursk_case, korean_event):
    preferences_set(user=editor, language="en", time_zone="")
    client.force_login(editor)
    html = client.get(reverse("case_dossier", args=[kursk_case.reference])).content.decode()
    assert html.index(ORIGINAL) < html.index(ENGLISH)


@pytest.mark.parametrize("words", ["한국으로", "переїхати", "prisoners said"])
def test_search_finds_a_record_by_its_original_or_any_translation(client, editor, kursk_case, korean_event, words):
    client.force_login(editor)
    response = client.get(reverse("search"), {"q": words})
    assert korean_event in response.context["found"]["events"]


def test_the_api_search_finds_a_record_by_a_translation(editor, korean_event):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(editor)
    found = api.get("/api/v1/events/", {"search": "переїхати"}).json()["results"]
    assert [row["id"] for row in found] == [korean_event.pk]


def test_someone_who_may_not_see_the_record_finds_nothing_by_its_translation(client, korean_event, alice):
    outsider = factories.UserFactory(username="mallory")
    restricted = factories.RestrictedCaseFactory(lead=alice)
    hidden = factories.EventFactory(case=restricted, title="숨김", description="비밀", language="ko")
    translation_record(user=alice, record=hidden, field="description", language="en", text="secret words here")
    client.force_login(outsider)
    assert hidden not in client.get(reverse("search"), {"q": "secret words"}).context["found"]["events"]


@pytest.mark.parametrize(("language", "first"), [("ko", "리정철"), ("ru", "Ри Чон Чхоль"), ("en", "Ri Jong Chol")])
def test_a_persons_name_comes_first_in_the_readers_script(client, editor, kursk_case, language, first):
    from people.models import Person

    ri = Person.objects.get(display_name="Ri Jong Chol")
    html = page(client, editor, kursk_case, language)
    heading = html.split(f'id="person-{ri.pk}-name" class="person__name">', 1)[1].split("</h3>", 1)[0]
    assert heading.index(first) < heading.index("person__original")
