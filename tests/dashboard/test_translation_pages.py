"""Translating a record's text from the case page: the form, its errors field by
field, correcting and checking a translation, who may, and the old position
column moved into translation rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import CaseNote, PositionStatement, Stance
from casework.services import position_record
from core.history import history_of
from core.models import TextTranslation
from core.services import preferences_set, translation_record
from tests import factories
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_storage")

ORIGINAL = "포로들은 한국으로 가고 싶다고 말했다"
ENGLISH = "The prisoners said they want to go to Korea"


@pytest.fixture
def interview(kursk_case):
    return factories.EventFactory(
        case=kursk_case, title="인터뷰", description=ORIGINAL, language="ko", kind="interview"
    )


def url(case, kind, record):
    return reverse("record_translations", args=[case.reference, kind, record.pk])


def test_an_editor_adds_a_translation_from_the_case_page_in_a_few_clicks(client, editor, kursk_case, interview):
    client.force_login(editor)
    case_page = client.get(kursk_case.get_absolute_url()).content.decode()
    link = url(kursk_case, "event", interview)
    assert f'href="{link}"' in case_page  # one click from the case page
    form = client.get(link)
    assert form.status_code == 200 and ORIGINAL in form.content.decode()
    response = client.post(
        link, {"field": "description", "language": "en", "text": ENGLISH, "kind": "human", "translated_by": ""}
    )
    assert response.status_code == 302
    translation = interview.translations.get()
    assert (translation.field, translation.language, translation.text) == ("description", "en", ENGLISH)
    assert translation.translated_by == "erin" and not translation.checked  # a human translation: the user's
    interview.refresh_from_db()
    assert interview.description == ORIGINAL  # the original untouched
    [event] = history_of(translation)
    assert event.pgh_context["channel"] == "dashboard"
    # Shown on the case page in English, the original one click away.
    page = client.get(kursk_case.get_absolute_url()).content.decode()
    assert f'<span lang="en">{ENGLISH}</span>' in page and '<details class="original no-print">' in page


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(client, editor, kursk_case, interview):
    client.force_login(editor)
    response = client.post(
        url(kursk_case, "event", interview), {"field": "description", "language": "ko", "text": " ", "kind": "human"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "text" in errors
    response = client.post(
        url(kursk_case, "event", interview), {"field": "description", "language": "ko", "text": "x", "kind": "human"}
    )
    assert response.context["form"].errors["language"] == ["The original is in this language already."]
    response = client.post(
        url(kursk_case, "event", interview), {"field": "place", "language": "en", "text": "x", "kind": "robot"}
    )
    assert {"field", "kind"} <= set(response.context["form"].errors)
    assert not TextTranslation.objects.exists()


def test_a_translation_is_corrected_and_checked_by_someone_else(client, editor, alice, kursk_case, interview):
    translation = translation_record(
        user=alice, record=interview, field="description", language="en", text="They want Korea", kind="machine"
    )
    client.force_login(editor)
    link = url(kursk_case, "event", interview)
    form = client.get(link, {"edit": translation.pk})
    assert "They want Korea" in form.content.decode()
    client.post(
        link,
        {
            "translation": translation.pk,
            "field": "description",
            "language": "en",
            "text": ENGLISH,
            "kind": "machine",
            "translated_by": "DeepL",
        },
    )
    translation.refresh_from_db()
    assert (translation.text, translation.kind, translation.translated_by) == (ENGLISH, "machine", "DeepL")
    assert TextTranslation.objects.count() == 1  # corrected, not added
    check = reverse("translation_check", args=[kursk_case.reference, "event", interview.pk, translation.pk])
    assert client.post(check).status_code == 302
    translation.refresh_from_db()
    assert translation.checked and translation.checked_by == "erin"
    assert "checked by erin" in client.get(link).content.decode()


def test_notes_requests_and_positions_are_translated_the_same_way(client, editor, kursk_case):
    client.force_login(editor)
    note = CaseNote.objects.create(case=kursk_case, author=editor, body="Звонили в Красный Крест", language="ru")
    involvement = kursk_case.involvements.first()
    position = position_record(
        involvement=involvement,
        stance=Stance.CONDITIONAL,
        stated_on=None,
        statement_original="검증되면 받아들이겠다",
        statement_language="ko",
    )
    request = kursk_case.requests.first()
    request.words, request.words_language = "집에 가고 싶다", "ko"
    request.save()
    for kind, record, field in (
        ("note", note, "body"),
        ("position", position, "statement_original"),
        ("request", request, "words"),
    ):
        response = client.post(
            url(kursk_case, kind, record), {"field": field, "language": "uk", "text": "Переклад", "kind": "human"}
        )
        assert response.status_code == 302, (kind, response.context and response.context["form"].errors)
        assert record.translations.get().text == "Переклад"


def test_a_viewer_may_read_the_case_but_not_translate(client, viewer, kursk_case, interview):
    client.force_login(viewer)
    assert "translations-link" not in client.get(kursk_case.get_absolute_url()).content.decode()
    assert client.get(url(kursk_case, "event", interview)).status_code == 403
    assert client.post(url(kursk_case, "event", interview), {"language": "en", "text": "x"}).status_code == 403
    assert not TextTranslation.objects.exists()


def test_a_sensitive_event_is_translated_only_by_who_may_see_sensitive_details(client, editor, kursk_case):
    welfare = factories.EventFactory(
        case=kursk_case, title="Self-harm", description="…", kind="welfare_incident", sensitivity="sensitive"
    )
    client.force_login(editor)  # an editor without people.view_sensitive
    assert client.get(url(kursk_case, "event", welfare)).status_code == 404
    data = {"field": "description", "language": "uk", "text": "Переклад", "kind": "human"}
    assert client.post(url(kursk_case, "event", welfare), data).status_code == 404
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="view_sensitive"))
    editor = type(editor).objects.get(pk=editor.pk)
    client.force_login(editor)
    assert client.post(url(kursk_case, "event", welfare), data).status_code == 302
    assert welfare.translations.get().text == "Переклад"


def test_a_record_of_another_case_is_not_found_through_this_one(client, editor, kursk_case):
    other = factories.CaseFactory()
    elsewhere = factories.EventFactory(case=other, title="Elsewhere")
    client.force_login(editor)
    assert client.get(url(kursk_case, "event", elsewhere)).status_code == 404
    assert client.get(url(other, "event", elsewhere)).status_code == 200
    assert client.get(reverse("record_translations", args=[kursk_case.reference, "case", 1])).status_code == 404


def test_the_form_speaks_the_readers_language(client, editor, kursk_case, interview):
    preferences_set(user=editor, language="ko", time_zone="Asia/Seoul")
    client.force_login(editor)
    html = client.get(url(kursk_case, "event", interview)).content.decode()
    assert 'lang="ko"' in html and "번역" in html


def test_the_old_position_translation_column_becomes_a_translation_row(db, kursk_case):
    """Migration casework 0017, run against the column put back for the test (DDL is transactional)."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    involvement = kursk_case.involvements.first()
    korean = position_record(
        involvement=involvement,
        stance=Stance.SUPPORTS,
        stated_on=None,
        statement_original="수용",
        statement_language="ko",
    )
    english = position_record(
        involvement=involvement,
        stance=Stance.SUPPORTS,
        stated_on=None,
        statement_original="Yes",
        statement_language="en",
    )
    silent = position_record(involvement=involvement, stance=Stance.OPPOSES, stated_on=None)
    table = PositionStatement._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred checks run now: the table may be altered
        cursor.execute(f"ALTER TABLE {table} ADD COLUMN statement_translation text NOT NULL DEFAULT ''")
        update = f"UPDATE {table} SET statement_translation = %s WHERE id = %s"  # noqa: S608 (the model's table)
        cursor.execute(update, ["We accept", korean.pk])
        cursor.execute(update, ["Так", english.pk])
    migration = importlib.import_module("casework.migrations.0017_position_translations_as_rows")
    state = MigrationLoader(connection).project_state(migration.Migration.dependencies)
    migration.to_rows(state.apps, None)
    migration.to_rows(state.apps, None)  # twice: nothing doubled
    rows = {(t.object_id, t.language, t.text) for t in TextTranslation.objects.filter(field="statement_original")}
    assert rows == {(korean.pk, "en", "We accept"), (english.pk, "und", "Так")}
    assert not silent.translations.exists()
    assert korean.translations.get().kind == "human"


def test_a_statement_known_only_in_translation_is_shown_saying_so(client, editor, kursk_case):
    """As the old column left some: no original words, one translation (migration casework 0017)."""
    position = position_record(involvement=kursk_case.involvements.first(), stance=Stance.CONDITIONAL, stated_on=None)
    translation_record(user=editor, record=position, field="statement_original", language="en", text="Ready to accept")
    client.force_login(editor)
    html = client.get(kursk_case.get_absolute_url()).content.decode()
    assert '<span lang="en">Ready to accept</span>' in html
    assert "the original words were not recorded" in html
