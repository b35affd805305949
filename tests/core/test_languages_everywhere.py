"""The rest of Vigil in the reader's language: duplicate reasons stored as codes, dates the
local way (no hard-coded pattern), the admin naming the zone its times are in, and the
OpenAPI schema in the language the client asks for."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import translation
from django.utils.formats import date_format

from core.services import preferences_set
from people import reasons
from tests import factories

# --------------------------------------------------------------- duplicate reasons


def test_duplicate_reasons_are_codes_written_in_the_readers_language():
    codes = [
        reasons.name(reasons.NAME_EXACT, ["Hangul", "Latin"]),
        reasons.identifier("icrc"),
        reasons.birth_gap(3),
        reasons.NATIONALITY_DIFFERENT,
        reasons.PLACE_SAME,
    ]
    with translation.override("en"):
        english = reasons.labels(codes)
    assert english[0] == "same name in Hangul + Latin"
    assert english[2] == "born 3 years apart"
    for language in ("ko", "uk", "ru"):
        with translation.override(language):
            written = reasons.labels(codes)
        assert not set(written) & set(english), (language, written)
        assert not [reason for reason in written if reason.startswith(("name:", "id:", "born:"))], written
    assert reasons.label("an English reason kept before codes") == "an English reason kept before codes"


@pytest.mark.django_db
def test_the_duplicate_check_stores_codes_and_the_api_answers_in_the_clients_language():
    from people.duplicates import Draft, score

    person = factories.PersonFactory(display_name="Ri Jong Chol", name_original="리정철")
    found = score(Draft(names=["리정철"]), person)
    assert any(code.startswith("name:exact:") for code in found.reasons)
    with translation.override("uk"):
        assert "same name" not in " ".join(found.as_dict()["reasons"])


# ------------------------------------------------------------------- date formats

MOMENT = datetime.datetime(2026, 12, 1, 15, 4, 5)


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "1 December 2026", "1 December 2026, 15:04"),
        ("ko", "2026년 12월 1일", "2026년 12월 1일 15:04"),
        ("uk", "01 грудня 2026 р.", "01 грудня 2026 р. 15:04"),  # noqa: RUF001
        ("ru", "1 декабря 2026 г.", "1 декабря 2026 г. 15:04"),  # noqa: RUF001
    ],
)
def test_dates_and_times_are_written_the_local_way(language, day, moment):
    with translation.override(language):
        assert date_format(MOMENT.date(), "DATE_FORMAT") == day
        assert date_format(MOMENT, "DATETIME_FORMAT") == moment


def test_no_template_writes_a_date_pattern_of_its_own():
    """Templates name a format (DATE_FORMAT...), so each language writes dates its own way;
    only the clock (H:i:s) is the same everywhere."""
    import re
    from pathlib import Path

    from django.conf import settings

    own = re.compile(r"\|date:\"(?![A-Z_]+\")")
    found = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if own.search(path.read_text(encoding="utf-8"))
    ]
    assert not found, found


# ------------------------------------------------------------------ admin's zone


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "zone", "named"), [("ko", "Asia/Seoul", "Asia/Seoul"), ("uk", "Europe/Kyiv", "Europe/Kyiv")]
)
def test_the_admin_names_the_zone_its_times_are_in(client, restricted_case, alice, language, zone, named):
    preferences_set(user=alice, language=language, time_zone=zone)
    client.force_login(alice)
    request = factories.StatedRequestFactory(case=restricted_case)
    page = client.get(f"/admin/casework/statedrequest/{request.pk}/history/").content.decode()
    header = page.split('id="user-tools"', 1)[1][:1500]
    assert f'data-time-zone="{named}"' in header
    assert "Times in" not in header  # said in the reader's language


# ------------------------------------------------------------------------ OpenAPI


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ko", "uk", "ru"])
def test_the_schema_is_written_in_the_language_the_client_asks_for(editor_api, language):
    response = editor_api.get("/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    info = json.loads(response.content)["info"]
    with translation.override(language):
        from django.conf import settings

        assert info["description"] == str(settings.SPECTACULAR_SETTINGS["DESCRIPTION"])
    assert "Cases of people in detention" not in info["description"]


# --------------------------------------------------------------- background work


@pytest.mark.django_db
def test_background_work_progress_is_read_in_the_owners_language(client, alice):
    from core.background import Progress
    from core.models import BackgroundWork
    from core.phrases import number, phrase

    work = BackgroundWork.objects.create(kind="duplicate_pass", title="Full duplicate pass", owner=alice)
    Progress(work).report(
        1, total=2, message=phrase("pass-progress", done=number(12345), total=number(20000), queued=number(3))
    )
    work.save()
    work.refresh_from_db()
    with translation.override("en"):
        assert work.shown_message == "12,345 of 20,000 pairs scored, 3 worth a review"
    preferences_set(user=alice, language="uk", time_zone="Europe/Kyiv")
    client.force_login(alice)
    page = client.get(f"/watch/work/{work.pk}/").content.decode()
    assert "оцінено 12\xa0345 з 20\xa0000 пар" in page or "оцінено 12 345 з 20 000 пар" in page
    assert "pairs scored" not in page
