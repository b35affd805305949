"""The three daily questions on the demo case, counting clicks on the dashboard and
calls to the API: which requests are stalled and for how long; each government's
latest position on each request; what happened since a date."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_dashboard_browser import demo, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_daily_question_is_two_clicks_at_most_and_one_api_call(page, served, demo):  # noqa: F811
    sign_in(page, served.url)
    clicks = {}

    # 1. Stalled requests and for how long: the home page itself.
    stalled = page.locator("#stalled .stalled-request")
    assert stalled.count() >= 1 and re.search(r"without movement", stalled.first.inner_text())
    assert "Medicine" not in page.locator("#stalled").inner_text()  # supplies wait apart
    clicks["stalled"] = 0

    # 2. Each government's latest position on each request: one click to the case page.
    stalled.first.locator("a.row__title").click()
    page.wait_for_url(re.compile(rf"{re.escape(demo.get_absolute_url())}"))
    assert "Will accept them if their intentions are verified." in page.locator("#positions").inner_text()
    clicks["positions"] = 1

    # 3. What happened since a date: the same page's timeline filter, one click on Filter
    # (the date is typed). Entries known only as a period are in only if all of it is.
    everything = page.locator("#timeline .timeline__entry").count()
    assert everything >= 10
    page.locator("#timeline input[name=since]").fill("February 2025")  # as people write it
    page.locator("#timeline").get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"since=February"))
    since = page.locator("#timeline .timeline__entry")
    assert 0 < since.count() < everything
    assert "January 2025" not in page.locator("#timeline ol").inner_text()
    clicks["since"] = 2

    calls = {
        "stalled": page.request.get(f"{served.url}/api/v1/requests/?stalled=true"),
        "positions": page.request.get(f"{served.url}/api/v1/cases/{demo.reference}/positions/"),
        "since": page.request.get(f"{served.url}/api/v1/cases/{demo.reference}/timeline/?since=2025-01-01"),
    }
    assert all(response.status == 200 for response in calls.values())
    rows = calls["stalled"].json()["results"]
    assert rows and all(r["person_name"] and r["case_reference"] and r["days_without_movement"] for r in rows)
    assert any(row["positions"] for row in calls["positions"].json()["rows"])
    assert calls["since"].json()["results"]
    print(f"\ndaily questions: clicks {clicks}, one API call each")
    assert all(count <= 2 for count in clicks.values()), clicks  # issue 11: at most two clicks each
