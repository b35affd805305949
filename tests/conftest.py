"""Shared fixtures: the people our tests are about.

Alice leads a restricted case; Bob is on its team; Olivia is an outsider (an
editor on other cases); Sam is a superuser.
"""

from __future__ import annotations

import pytest

from tests import factories

pytest_plugins = ["tests.api_fixtures"]


@pytest.fixture
def alice(db):
    return factories.UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return factories.UserFactory(username="bob")


@pytest.fixture
def olivia(db):
    return factories.UserFactory(username="olivia")


@pytest.fixture
def sam(db):
    return factories.UserFactory(username="sam", is_superuser=True)


@pytest.fixture
def restricted_case(alice, bob):
    case = factories.RestrictedCaseFactory(title="Restricted: the Kursk prisoners", lead=alice)
    factories.CaseMemberFactory(case=case, user=bob)
    return case


@pytest.fixture
def open_case(db):
    return factories.CaseFactory(title="Open case")
