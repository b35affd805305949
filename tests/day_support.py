"""Fixtures of issue 11's tests (the advocate's day), named apart from the API and
dashboard fixtures so that loading them changes no other test's ``editor``."""

from __future__ import annotations

import pytest

from tests import factories
from tests.dashboard_data import build_kursk_case, grant


@pytest.fixture
def erin(db):
    """An editor of the dashboard (add, change, view; no sensitive details)."""
    return grant(factories.UserFactory(username="erin", is_staff=True), "add", "change", "view")


@pytest.fixture
def victor(db):
    """A viewer: may only read."""
    return grant(factories.UserFactory(username="victor", is_staff=False), "view")


@pytest.fixture
def kursk(db, alice):
    return build_kursk_case(lead=alice)


@pytest.fixture
def static_files(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
