"""The account page in headless Chromium: an editor makes an API token, sees it
once, uses it, and revokes it (issue 10, finding 11). Screenshots in test-artifacts/."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from tests import factories
from tests.conftest import grant_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long enough password"


def api_status(base_url: str, token: str) -> int:
    request = urllib.request.Request(f"{base_url}/api/v1/cases/", headers={"Authorization": f"Token {token}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (the live server)
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_an_editor_makes_uses_and_revokes_a_token(page, served, screenshot):
    grant_editor(factories.UserFactory(username="alice", password=PASSWORD))
    page.goto(f"{served.url}/accounts/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{served.url}/accounts/")
    assert "You have no API token." in page.inner_text("main")

    page.get_by_label("What is it for?").fill("weekly report")
    page.get_by_role("button", name="Make a token").click()
    token = page.get_by_test_id("new-token").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    row = page.locator("table.tokens tbody tr", has_text="weekly report")
    assert "never" in row.inner_text(), "not used yet"
    screenshot(page, "account-new-token")
    assert api_status(served.url, token) == 200

    page.get_by_role("link", name="Account").click()
    assert token not in page.content(), "shown once"
    row = page.locator("table.tokens tbody tr", has_text="weekly report")
    assert "never" not in row.locator("td[data-label='Last used']").inner_text()
    row.get_by_role("button", name="Revoke").click()
    assert "Token revoked" in page.inner_text("main")
    screenshot(page, "account-revoked")
    assert api_status(served.url, token) == 401
