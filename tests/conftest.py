"""Shared fixtures: the people our tests are about.

Alice leads a restricted case; Bob is on its team; Olivia is an outsider (an
editor on other cases); Sam is a superuser.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.test import override_settings

from core.roles import DOMAIN_APPS, SPECIAL
from tests import factories

pytest_plugins = ["tests.api_fixtures"]


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """Most tests make users with passwords, and the production hasher (PBKDF2, a
    million iterations) is slow on purpose: about half a second a user. No test
    is about the hasher; they sign in with the same passwords whichever it is.
    Session-wide, so module-wide data (tests/attack_surface.py) has it too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def evidence_storage_dir():
    """Evidence bytes go to a folder of the test session's own, never .data/evidence;
    tests that need a clean one (or S3) override STORAGES["evidence"] again."""
    with tempfile.TemporaryDirectory(prefix="vigil-evidence-") as folder:
        storages = {
            **django_settings.STORAGES,
            "evidence": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": f"{folder}/store", "base_url": None},
            },
        }
        # Custody manifests are signed with a key of the tests' own (DEBUG is off in tests).
        key = "dGVzdHMtb25seSBrZXksIG5ldmVyIGZvciB1c2UhISE="
        with override_settings(
            STORAGES=storages, EVIDENCE_UPLOAD_DIR=Path(folder) / "uploads", EVIDENCE_SIGNING_KEY=key
        ):
            yield Path(folder)


def grant_editor(user):
    """Every add/change/delete/view permission of Vigil's apps (role groups come with the roles issue)."""
    model_permissions = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS).exclude(
        codename__in=SPECIAL  # seeing every case or sensitive details, managing teams, the bin
    )
    user.user_permissions.add(*model_permissions)
    # Permissions are cached on the instance: fetch it again.
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def alice(db):
    return grant_editor(factories.UserFactory(username="alice"))


@pytest.fixture
def bob(db):
    return grant_editor(factories.UserFactory(username="bob"))


@pytest.fixture
def olivia(db):
    return grant_editor(factories.UserFactory(username="olivia"))


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


@pytest.fixture
def dana(db):
    """Dana, a data manager: imports, exports, reviews duplicates, restores from the bin."""
    from django.contrib.auth.models import Group

    from core.roles import DATA_MANAGER

    user = factories.UserFactory(username="dana")
    user.groups.add(Group.objects.get(name=DATA_MANAGER))
    return type(user).objects.get(pk=user.pk)
