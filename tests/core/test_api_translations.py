"""The API shows each record's original language and its translations, adds one
through the dashboard's service, and finds a record by any translation."""

from __future__ import annotations

import pytest

from casework.models import CaseNote, Stance
from casework.services import position_record
from core.history import history_of
from core.models import TextTranslation
from core.services import translation_record
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]

ORIGINAL = "집에 가고 싶다"


@pytest.fixture
def records(restricted_case, alice):
    person = factories.PersonFactory()
    request = factories.StatedRequestFactory(
        case=restricted_case, person=person, summary="Transfer", words=ORIGINAL, words_language="ko"
    )
    involvement = factories.InvolvementFactory(case=restricted_case)
    position = position_record(
        involvement=involvement,
        stance=Stance.CONDITIONAL,
        stated_on=None,
        statement_original="검증되면",
        statement_language="ko",
    )
    note = CaseNote.objects.create(case=restricted_case, author=alice, body="Дзвонили в МКЧХ", language="uk")
    event = factories.EventFactory(case=restricted_case, title="인터뷰", description=ORIGINAL, language="ko")
    source = factories.SourceFactory(title="연합뉴스 보도", language="ko")
    factories.CitationFactory(event=event, source=source)
    return {"requests": request, "positions": position, "notes": note, "events": event, "sources": source}


FIELDS = {
    "requests": "words",
    "positions": "statement_original",
    "notes": "body",
    "events": "description",
    "sources": "title",
}


@pytest.mark.parametrize("resource", list(FIELDS))
def test_every_translatable_resource_shows_its_original_language_and_translations(
    editor, editor_api, records, resource
):
    record = records[resource]
    translation_record(
        user=editor, record=record, field=FIELDS[resource], language="en", text="I want to go home",
        kind="human", translated_by="Oksana", checked=True, checked_by="Dmytro",
    )  # fmt: skip
    shown = editor_api.get(f"/api/v1/{resource}/{record.pk}/").json()
    assert shown["original_language"] == record.original_language(FIELDS[resource])
    [translation] = shown["translations"]
    assert {k: translation[k] for k in ("field", "language", "text", "kind", "translated_by", "checked", "checked_by")} == {
        "field": FIELDS[resource], "language": "en", "text": "I want to go home", "kind": "human",
        "translated_by": "Oksana", "checked": True, "checked_by": "Dmytro",
    }  # fmt: skip
    # The list shows the same (one prefetch for the page).
    listed = editor_api.get(f"/api/v1/{resource}/").json()["results"]
    [row] = [row for row in listed if row["id"] == record.pk]
    assert row["translations"] == shown["translations"]


@pytest.mark.parametrize("resource", list(FIELDS))
def test_the_api_adds_a_translation_through_the_service(editor_api, records, resource):
    record = records[resource]
    response = editor_api.post(
        f"/api/v1/{resource}/{record.pk}/translations/",
        {
            "field": FIELDS[resource],
            "language": "ru",
            "text": "Хочу домой",
            "kind": "machine",
            "translated_by": "DeepL",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["language"] == "ru" and response.json()["kind"] == "machine"
    translation = record.translations.get()
    assert translation.text == "Хочу домой" and translation.translated_by == "DeepL"
    [event] = history_of(translation)
    assert event.pgh_context["channel"] == "api"
    # Into the same language again: it replaces the first.
    editor_api.post(
        f"/api/v1/{resource}/{record.pk}/translations/",
        {"field": FIELDS[resource], "language": "ru", "text": "Хочу домой!"},
        format="json",
    )
    translation = record.translations.get()
    assert translation.text == "Хочу домой!" and translation.translated_by == "alice"  # a human one: the caller's


def test_bad_input_is_a_400_field_by_field(editor_api, records):
    event = records["events"]
    response = editor_api.post(
        f"/api/v1/events/{event.pk}/translations/", {"field": "place", "language": "ko!", "text": "x"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"field", "language"}
    response = editor_api.post(
        f"/api/v1/events/{event.pk}/translations/", {"field": "title", "language": "ko", "text": "x"}, format="json"
    )
    assert response.status_code == 400 and "language" in response.json()
    assert not TextTranslation.objects.exists()


def test_who_may_not_see_or_change_the_record_adds_nothing(viewer_api, outsider_api, anonymous_api, records):
    event = records["events"]
    data = {"field": "title", "language": "en", "text": "Interview"}
    assert viewer_api.post(f"/api/v1/events/{event.pk}/translations/", data, format="json").status_code == 403
    assert outsider_api.post(f"/api/v1/events/{event.pk}/translations/", data, format="json").status_code == 404
    assert anonymous_api.post(f"/api/v1/events/{event.pk}/translations/", data, format="json").status_code == 401
    assert not TextTranslation.objects.exists()


def test_a_sensitive_event_is_translated_only_by_who_may_see_sensitive_details(alice, restricted_case):
    from tests.api_fixtures import client_for, grant_editor

    grant_editor(alice, sensitive=False)
    incident = factories.EventFactory(case=restricted_case, title="Self-harm", kind="welfare_incident")
    response = client_for(alice).post(
        f"/api/v1/events/{incident.pk}/translations/",
        {"field": "title", "language": "ko", "text": "자해"},
        format="json",
    )
    assert response.status_code == 404 and not TextTranslation.objects.exists()


@pytest.mark.parametrize("resource", ["requests", "positions", "notes", "events", "sources"])
def test_search_finds_a_record_by_a_translation(editor, editor_api, records, resource):
    record = records[resource]
    translation_record(user=editor, record=record, field=FIELDS[resource], language="en", text="the zebra crossing")
    found = editor_api.get(f"/api/v1/{resource}/", {"search": "zebra"}).json()["results"]
    assert [row["id"] for row in found] == [record.pk]
    assert editor_api.get(f"/api/v1/{resource}/", {"search": "giraffe"}).json()["results"] == []


def test_an_outsider_finds_nothing_by_the_translation_of_a_record_they_may_not_see(editor, outsider_api, records):
    translation_record(user=editor, record=records["notes"], field="body", language="en", text="zebra")
    assert outsider_api.get("/api/v1/notes/", {"search": "zebra"}).json()["results"] == []
