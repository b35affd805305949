"""Headless Chromium for the dashboard's browser tests, driven by Playwright.

Debian's ``chromium`` is used (never ``playwright install``). Without it the
tests are skipped with a message saying how to install it, except when
VIGIL_REQUIRE_BROWSER=1 (set by .ci/run): then a missing browser fails them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("VIGIL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
INSTALL_HINT = "install it with `sudo apt-get install chromium` (Debian/Ubuntu), then run the tests again"


def _missing(reason: str):
    if os.environ.get("VIGIL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"VIGIL_REQUIRE_BROWSER=1 but {reason}: {INSTALL_HINT}.", pytrace=False)
    pytest.skip(f"Browser tests skipped: {reason}; {INSTALL_HINT}.")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _missing(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the dev extra
        _missing("Playwright for Python is not installed (`make install`)")
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls (setting up rows, checking them) are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def served(live_server, settings):
    """The live server, reachable over plain HTTP whatever DEBUG was at start-up, with the
    local demo login as `make run` has it (no second factor for the demo superuser)."""
    settings.REQUIRE_TWO_FACTOR = False
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return live_server


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ (gitignored) for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
