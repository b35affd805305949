"""The dashboard in headless Chromium, as the demo user would use it the first morning.

Kept few and focused: each test loads the demo case once into the live server's
database and walks a whole journey. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import io
import os
import re

import pytest
from django.core.management import call_command

from casework.models import Case
from core.management.commands.demo_user import DEFAULT_PASSWORD
from events.demo import DEMO_TITLE
from events.models import Source
from events.timeline import case_timeline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def demo(served):
    """The demo case and the demo login, made by the same commands as `make run`."""
    call_command("demo_user", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    return Case.objects.get(title=DEMO_TITLE)


def sign_in(page, base_url: str, *, next_path: str = "/"):
    page.goto(f"{base_url}{next_path}")
    assert "/accounts/login/" in page.url  # every page asks who you are first
    page.get_by_label("Username").fill(os.environ.get("DEMO_USERNAME", "demo"))
    page.get_by_label("Password").fill(os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}{next_path}")


def test_an_advocates_first_morning(page, served, demo, screenshot):
    sign_in(page, served.url)

    # Home: the seed case's stalled transfer request, with for how long nothing moved.
    stalled = page.locator("#stalled")
    transfer = stalled.locator("li", has_text="Ri Jong Chol: Transfer to South Korea")
    assert transfer.count() == 1
    assert "stalled" in transfer.inner_text()
    assert re.search(r"\d+ (days|weeks|months|years) without movement", transfer.inner_text())
    conditions = page.locator("#conditions").inner_text()
    assert "South Korea" in conditions and "Will accept them if their intentions are verified." in conditions
    screenshot(page, "home")

    # Cases list: filter by status through the form; the filters land in the URL.
    page.get_by_role("link", name="Cases", exact=True).click()
    page.locator(".filters__more > summary").click()
    page.get_by_role("group", name="Status", exact=True).get_by_label("stalled").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"status=stalled"))
    rows = page.locator("table.cases tbody tr")
    assert rows.count() == 1
    assert demo.reference in rows.first.inner_text()
    assert "Status: stalled" in page.locator(".active-filters").inner_text()
    screenshot(page, "cases")
    page.locator(".filters__more > summary").click()
    page.get_by_role("group", name="Status", exact=True).get_by_label("stalled").uncheck()
    page.get_by_role("group", name="Status", exact=True).get_by_label("closed").check()
    page.get_by_role("button", name="Apply filters").click()
    assert "No case matches" in page.locator("main").inner_text()

    # The case page: both detainees, all four governments, the timeline in date order.
    page.goto(f"{served.url}/cases/?q=Korea")
    page.get_by_role("link", name=demo.reference).click()
    page.wait_for_url(f"{served.url}{demo.get_absolute_url()}")
    people = page.locator("#people")
    for name in ("Ri Jong Chol", "리정철", "Ри Чон Чхоль", "Paek Kwang Hyok", "백광혁"):
        assert name in people.inner_text()
    governments = page.locator(".matrix thead .matrix__govname").all_inner_texts()
    assert sorted(governments) == ["North Korea", "Russia", "South Korea", "Ukraine"]
    south_korea = page.locator(".matrix tbody tr", has_text="Transfer to South Korea").first
    assert "Will accept them if their intentions are verified." in south_korea.inner_text()

    expected = case_timeline(demo, user=demo.lead)
    entries = page.locator(".timeline__entry")
    assert entries.count() == len(expected) >= 10
    shown = entries.locator("time").evaluate_all("els => els.map(e => e.getAttribute('datetime') || '9999-12-31')")
    assert shown == sorted(shown)
    assert entries.locator(".timeline__title").all_inner_texts() == [entry.title for entry in expected]
    assert "Q4 2024" in entries.first.inner_text()
    assert page.get_by_role("button", name="Print this page").is_visible()  # our one script ran under the CSP
    screenshot(page, "case")


def test_recording_this_weeks_news_through_the_quick_action(page, served, demo, screenshot):
    sign_in(page, served.url, next_path=demo.get_absolute_url())
    request = demo.requests.get(person__display_name="Paek Kwang Hyok", category="transfer")
    page.locator(f"#request-{request.pk}").get_by_role("link", name="Record update").click()

    # A mistake first: the form says what to fix and keeps what was typed.
    page.get_by_label("Happened on").fill("")
    page.get_by_label("Note").fill("Seoul confirms it is verifying their intentions.")
    page.get_by_role("button", name="Save").click()
    assert "Give a date" in page.locator(".field--occurred_on").inner_text()
    assert page.get_by_label("Note").input_value() == "Seoul confirms it is verifying their intentions."

    page.get_by_label("New status").select_option("under_verification")
    page.get_by_label("Happened on").fill("2025-11-26")
    page.locator("select[name=occurred_on_precision]").select_option("day")  # the source has its own
    article = Source.objects.get(title__startswith="Two North Korean POWs captured")
    page.get_by_label("Source", exact=True).select_option(value=str(article.pk))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"{re.escape(demo.get_absolute_url())}#request_update-\d+$"))

    assert "Recorded for Paek Kwang Hyok: Transfer to South Korea" in page.locator(".messages").inner_text()
    entry = page.locator(f"#{page.url.rsplit('#', 1)[1]}")  # the new timeline entry, scrolled to
    assert entry.is_visible()
    assert "26 November 2025" in entry.inner_text()
    assert "Paek Kwang Hyok: Transfer to South Korea — under verification" in entry.inner_text()
    assert "Seoul confirms it is verifying their intentions." in entry.inner_text()
    request.refresh_from_db()
    assert request.status == "under_verification"
    screenshot(page, "case-after-update")


def test_every_page_fits_a_360_pixel_phone(browser, served, demo, screenshot):
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        sign_in(page, served.url)
        for path, name in (
            ("/", "home-360"),
            ("/cases/", "cases-360"),
            (demo.get_absolute_url(), "case-360"),
            (demo.subjects.first().person.get_absolute_url(), "person-360"),
        ):
            page.goto(f"{served.url}{path}")
            assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{path} scrolls sideways at 360px"
            screenshot(page, name)
    finally:
        context.close()
