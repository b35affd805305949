"""A Korean-speaking editor translates an interview's description from the case
page: one click to the translations page, a refused empty save said in Korean
beside its field, a saved translation shown on the case page with the original
one click away."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.services import preferences_set
from tests import factories
from tests.dashboard_data import build_kursk_case, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
ORIGINAL = "포로들은 한국으로 가고 싶다고 말했다"
ENGLISH = "The prisoners said they want to go to Korea"
SHOTS = Path(os.environ.get("VIGIL_SHOTS", "test-artifacts"))


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_korean_editor_translates_an_interview_from_the_case_page(page, served):
    editor = factories.UserFactory(username="minji", password=PASSWORD)
    grant(editor, "view", "add", "change")
    preferences_set(user=editor, language="ko", time_zone="Asia/Seoul")
    case = build_kursk_case(lead=editor)
    interview = factories.EventFactory(case=case, title="인터뷰", description=ORIGINAL, language="ko", kind="interview")
    path = f"/cases/{case.reference}/"
    page.goto(f"{served.url}/accounts/login/?next={path}")
    page.locator("#id_username").fill("minji")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#main form button[type=submit]").first.click()
    page.wait_for_url(f"{served.url}{path}")

    clicks = 0
    page.locator(f"#event-{interview.pk} a.translations-link").click()
    clicks += 1
    page.wait_for_url(f"{served.url}/cases/{case.reference}/translations/event/{interview.pk}/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text().startswith("번역:")
    assert page.get_by_text(ORIGINAL).first.is_visible()

    # An empty save: refused, said in Korean beside the field; nothing saved.
    page.locator("#id_field").select_option("description")
    page.locator("#id_language").select_option("en")
    page.get_by_role("button", name="번역 저장").click()
    clicks += 1
    error = page.locator(".field--text .errorlist")
    assert error.is_visible() and "필수" in error.inner_text()
    shot(page, "translation-form-ko-error")

    page.locator("#id_text").fill(ENGLISH)
    page.locator("#id_kind_1").check()  # machine
    page.locator("#id_translated_by").fill("DeepL")
    page.get_by_role("button", name="번역 저장").click()
    clicks += 1
    assert page.locator(".translations__list").get_by_text(ENGLISH).is_visible()
    assert "DeepL" in page.locator(".translations__list").inner_text()
    shot(page, "translation-form-ko-saved")
    assert clicks == 3

    # An English reader of the case page sees the translation, the Korean original one click away.
    preferences_set(user=editor, language="en", time_zone="")
    page.goto(f"{served.url}{path}")
    entry = page.locator(f"#event-{interview.pk}")
    assert ENGLISH in entry.inner_text()
    entry.locator("details.original summary").click()
    assert entry.locator("details.original").get_by_text(ORIGINAL).is_visible()
    shot(page, "case-page-en-translation")
