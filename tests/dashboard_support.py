"""Fixtures for the dashboard's tests (imported by the modules that use them, so they stay theirs: as a plugin they would replace conftest's `editor` for every module).

Erin is an editor (may add and change people, casework and events), Victor a
viewer (may only read). Both see normal cases; neither is on the restricted case
and neither may see sensitive details. ``kursk_case`` is the seed article's case
in small (tests/dashboard_data.py), led by Alice.
"""

from __future__ import annotations

import pytest

from tests import factories
from tests.dashboard_data import build_kursk_case, grant


@pytest.fixture
def editor(db):
    return grant(factories.UserFactory(username="erin", is_staff=True), "add", "change", "view")


@pytest.fixture
def viewer(db):
    return grant(factories.UserFactory(username="victor", is_staff=False), "view")


@pytest.fixture
def static_storage(settings):
    """Templates resolve {% static %} without collectstatic, whatever DEBUG was at start-up."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def kursk_case(db, alice):
    return build_kursk_case(lead=alice)
