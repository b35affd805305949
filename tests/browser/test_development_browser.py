"""Recording this week's news as an editor would: one development (a source, an event,
one position on two requests, two updates and a follow-up) in one form, counting the
clicks; a future date is refused by its field and nothing is written."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from casework.models import FollowUp, PositionStatement, RequestUpdate
from core.roles import EDITOR
from events.models import Event, Source
from tests import factories
from tests.browser.test_dashboard_browser import demo  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Clicks:
    """Every click, tick and choice from a list the advocate makes (typing is counted apart)."""

    def __init__(self, page):
        self.page, self.clicks, self.typed = page, 0, 0

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def check(self, locator):
        self.clicks += 1
        locator.check()

    def choose(self, locator, **option):
        self.clicks += 1
        locator.select_option(**option)

    def type(self, locator, text: str):
        self.typed += 1
        locator.fill(text)


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Source, Event, PositionStatement, RequestUpdate, FollowUp))


@pytest.fixture
def erin(demo):  # noqa: F811
    user = factories.UserFactory(username="erin-editor", password="correct horse battery")
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def test_an_editor_records_the_news_item_in_one_form(page, served, demo, erin, screenshot):  # noqa: F811
    page.goto(f"{served.url}{demo.get_absolute_url()}")
    page.get_by_label("Username").fill("erin-editor")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{served.url}{demo.get_absolute_url()}")

    you = Clicks(page)
    you.click(page.get_by_role("link", name="Record a development"))
    page.wait_for_url(re.compile(r"/developments/new/$"))
    source, event = page.locator("#part-source"), page.locator("#part-event")
    position, updates, follow_up = (
        page.locator("#part-position"),
        page.locator("#part-updates"),
        page.locator("#part-follow_up"),
    )
    # Nothing chosen for the advocate: no government, stance, status or date.
    assert position.get_by_label("Government").input_value() == ""
    assert position.get_by_label("Stance").input_value() == ""
    assert updates.get_by_label("New status").input_value() == ""
    assert event.get_by_label("Happened on").input_value() == ""

    you.type(source.get_by_label("or a new source: title"), "Ukraine ready to discuss transfer of North Korean POWs")
    you.type(source.get_by_label("Publisher / author"), "Yonhap")
    you.type(source.get_by_label("URL"), "https://en.yna.co.kr/view/AEN20251120")
    you.type(source.get_by_label("Published on"), "2025-11-20")
    you.choose(source.locator("select[name=new_source_published_on_precision]"), value="day")
    you.type(source.get_by_label("Language"), "en")

    you.choose(event.get_by_label("Kind"), value="government_statement")
    you.type(event.get_by_label("Title"), "Ukraine ready to discuss the transfer")
    you.type(event.get_by_label("Happened on"), "2025-11-20")
    you.choose(event.locator("select[name=event-occurred_on_precision]"), value="day")
    you.check(event.get_by_label("Ukraine"))

    ukraine = demo.involvements.get(government__name="Ukraine")
    you.choose(position.get_by_label("Government"), value=str(ukraine.pk))
    transfers = list(demo.requests.filter(category="transfer").select_related("person"))
    assert len(transfers) == 2
    for transfer in transfers:
        you.check(position.get_by_label(f"{transfer.person.display_name}: {transfer.summary}"))
    you.choose(position.get_by_label("Stance"), value="conditional")
    you.type(position.get_by_label("Stated on"), "2025-11-20")
    you.choose(position.locator("select[name=position-stated_on_precision]"), value="day")
    you.type(position.get_by_label("Condition"), "If the ICRC confirms their free will")

    for transfer in transfers:
        you.check(updates.get_by_label(f"{transfer.person.display_name}: {transfer.summary}"))
    you.choose(updates.get_by_label("New status"), value="under_verification")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    you.type(updates.get_by_label("Happened on"), tomorrow)  # a slip of the finger
    you.choose(updates.locator("select[name=updates-occurred_on_precision]"), value="day")

    you.type(follow_up.get_by_label("Title"), "Ask the ICRC whether it was asked to verify")
    you.type(follow_up.get_by_label("Due on"), "2025-12-01")

    before = counts()
    you.click(page.get_by_role("button", name="Record the development"))
    page.wait_for_load_state()
    error = page.locator("#part-updates .field--occurred_on .errorlist")
    assert "in the future" in error.inner_text()
    assert counts() == before  # nothing written
    screenshot(page, "development-future-date")

    updates = page.locator("#part-updates")
    you.type(updates.get_by_label("Happened on"), "2025-11-20")
    you.click(page.get_by_role("button", name="Record the development"))
    page.wait_for_url(re.compile(rf"{re.escape(demo.get_absolute_url())}#event-\d+$"))
    message = page.locator(".messages").inner_text()
    assert "Ukraine: conditional on" in message and "under verification for" in message
    screenshot(page, "development-recorded")

    # On the case page: the event in the timeline, the position in the matrix.
    timeline = page.locator("#timeline").inner_text()
    assert "Ukraine ready to discuss the transfer" in timeline
    assert "If the ICRC confirms their free will" in page.locator("#positions").inner_text()
    # In the API: one call for the timeline.
    api = page.request.get(f"{served.url}/api/v1/cases/{demo.reference}/timeline/?page_size=500")
    titles = [entry["title"] for entry in api.json()["results"]]
    assert "Ukraine ready to discuss the transfer" in titles
    assert sum("under verification" in title for title in titles) >= 2

    assert counts() == tuple(n + d for n, d in zip(before, (1, 1, 2, 2, 1), strict=True))
    # The count the report quotes (issue 11 measured 57 clicks and 5 forms before).
    print(f"\nnews item: {you.clicks} clicks, {you.typed} fields typed, 1 form, 1 API call")
    assert you.clicks <= 20
