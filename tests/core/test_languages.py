"""Vigil in each user's language and time zone: the user's own choice, else the
browser's Accept-Language, else the site default; URLs never change; every time
shown in the reader's zone; the API answers in the asked language, times with offsets."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import UserPreferences
from core.services import preferences_set
from tests import factories
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_storage")


def html_lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_browser_language_is_used_when_the_user_chose_none(client, editor):
    client.force_login(editor)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="uk-UA,uk;q=0.9,en;q=0.5")
    assert html_lang(response) == "uk"
    assert response["Content-Language"] == "uk"
    assert "Accept-Language" in response["Vary"]


def test_the_site_default_is_used_without_a_choice_or_a_known_browser_language(client, editor, settings):
    settings.LANGUAGE_CODE = "ru"
    client.force_login(editor)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert html_lang(response) == "ru"


def test_the_users_own_language_wins_over_the_browser(client, editor):
    preferences_set(user=editor, language="ko", time_zone="")
    client.force_login(editor)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru")
    assert html_lang(response) == "ko"


def test_the_header_switcher_stores_the_choice_and_keeps_the_url(client, editor, kursk_case):
    client.force_login(editor)
    page = reverse("case_detail", args=[kursk_case.reference])
    response = client.post(reverse("language-switch"), {"language": "uk", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page  # URLs never carry the language
    assert UserPreferences.objects.get(user=editor).language == "uk"
    assert html_lang(client.get(page, HTTP_ACCEPT_LANGUAGE="en")) == "uk"


def test_the_switcher_never_sends_anyone_to_another_site(client, editor):
    client.force_login(editor)
    response = client.post(reverse("language-switch"), {"language": "ko", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_the_switcher_ignores_a_language_vigil_does_not_speak(client, editor):
    client.force_login(editor)
    client.post(reverse("language-switch"), {"language": "xx"})
    assert not UserPreferences.objects.filter(user=editor).exists()


def test_a_signed_out_visitor_keeps_the_switchers_choice_in_a_cookie(client, db):
    client.post(reverse("language-switch"), {"language": "ru", "next": reverse("login")})
    assert html_lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ko")) == "ru"


def test_the_account_page_saves_language_and_time_zone(client, editor):
    client.force_login(editor)
    response = client.post(reverse("account"), {"preferences": "1", "language": "ru", "time_zone": "Europe/Kyiv"})
    assert response.status_code == 302
    preferences = UserPreferences.objects.get(user=editor)
    assert (preferences.language, preferences.time_zone) == ("ru", "Europe/Kyiv")


def test_the_account_page_refuses_a_made_up_time_zone_field_by_field(client, editor):
    client.force_login(editor)
    response = client.post(reverse("account"), {"preferences": "1", "language": "", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert response.context["preferences_form"].errors["time_zone"]
    assert not UserPreferences.objects.filter(user=editor).exists()


def test_seoul_and_kyiv_see_the_same_note_at_their_own_local_times(client, editor, kursk_case):
    moment = datetime.datetime(2025, 2, 17, 6, 30, tzinfo=datetime.UTC)
    note = factories.CaseNoteFactory(case=kursk_case, body="Letter sent to the ICRC.")
    type(note).objects.filter(pk=note.pk).update(created_at=moment)
    seoul = factories.UserFactory(username="minji")
    kyiv = factories.UserFactory(username="oksana")
    for user, zone in ((seoul, "Asia/Seoul"), (kyiv, "Europe/Kyiv")):
        kursk_case.members.create(user=user)
        preferences_set(user=user, language="en", time_zone=zone)
    page = reverse("case_detail", args=[kursk_case.reference])
    client.force_login(editor)  # UTC, the site's zone
    assert "17 Feb 2025 06:30" in client.get(page).content.decode()
    from tests.dashboard_data import grant

    for user, local in ((seoul, "17 Feb 2025 15:30"), (kyiv, "17 Feb 2025 08:30")):
        client.force_login(grant(user, "view"))
        assert local in client.get(page).content.decode(), user.username


def test_the_api_answers_in_the_asked_language(client, db):
    response = client.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code in (401, 403)
    assert response["Content-Language"] == "uk"
    detail = response.json()["detail"]
    assert any("\u0400" <= char <= "\u04ff" for char in detail), detail


def test_the_api_writes_times_in_iso_8601_with_the_offset(editor, kursk_case):
    from rest_framework.test import APIClient

    preferences_set(user=editor, language="ko", time_zone="Asia/Seoul")
    api = APIClient()
    api.force_authenticate(editor)
    created = api.get(f"/api/v1/cases/{kursk_case.pk}/").json()["created_at"]
    parsed = datetime.datetime.fromisoformat(created)
    assert parsed.utcoffset() is not None
    assert parsed == kursk_case.created_at


def test_a_user_without_a_zone_sees_the_sites_zone(editor, settings, rf):
    from core.locale import time_zone_for

    settings.TIME_ZONE = "Europe/Kyiv"
    assert time_zone_for(editor) == zoneinfo.ZoneInfo("Europe/Kyiv")
    preferences_set(user=editor, language="", time_zone="Asia/Seoul")
    assert time_zone_for(editor) == zoneinfo.ZoneInfo("Asia/Seoul")
    assert timezone.get_current_timezone_name()  # nothing leaked into this thread


def add_event(client, case, occurred_on: str, precision: str = ""):
    return client.post(
        reverse("event_create", args=[case.reference]),
        {
            "kind": "interview",
            "title": "Інтерв'ю з полоненими",
            "occurred_on": occurred_on,
            "occurred_on_precision": precision,
            "language": "uk",
            "sensitivity": "normal",
            "new_source_title": "Інтерв'ю",
            "new_source_published_on_precision": "unknown",
            "new_source_kind": "interview",
            "new_source_reliability": "C",
            "confidence": "probable",
        },
    )


def test_a_partial_date_is_typed_as_a_ukrainian_writes_it(client, editor, kursk_case):
    from events.models import Event

    preferences_set(user=editor, language="uk", time_zone="Europe/Kyiv")
    client.force_login(editor)
    assert add_event(client, kursk_case, "січень 2025").status_code == 302
    event = Event.objects.get(title="Інтерв'ю з полоненими")
    assert (event.occurred_on, event.occurred_on_precision, event.language) == (
        datetime.date(2025, 1, 1),
        "month",
        "uk",
    )


def test_a_date_that_could_be_misread_is_refused_field_by_field(client, editor, kursk_case):
    from events.models import Event

    client.force_login(editor)
    response = add_event(client, kursk_case, "02/03/2025", "day")
    assert response.status_code == 200
    assert "2025-02-17" in str(response.context["form"].errors["occurred_on"])
    assert not Event.objects.filter(title="Інтерв'ю з полоненими").exists()


def test_the_switcher_returns_to_the_page_it_was_used_on(client, editor, kursk_case):
    client.force_login(editor)
    page = f"http://testserver{reverse('case_detail', args=[kursk_case.reference])}"
    response = client.post(reverse("language-switch"), {"language": "ko"}, HTTP_REFERER=page)
    assert response["Location"] == page
