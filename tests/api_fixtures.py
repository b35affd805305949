"""Fixtures for the API tests (loaded by tests/conftest.py as a plugin).

Alice leads the restricted case and is an editor who may see sensitive
details; Bob is on its team and is a viewer (view permissions only); Olivia is
an editor on other cases, an outsider to the restricted one, without sensitive
details. Each talks to the API with her or his token.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import ApiToken
from core.roles import DOMAIN_APPS, SPECIAL


def grant_editor(user, *, sensitive: bool = True) -> None:
    """Every add/change/delete/view permission of Vigil's apps, but none of the
    special ones (every case, teams, the bin); and sensitive details when asked."""
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS).exclude(codename__in=SPECIAL)
    )
    if sensitive:
        user.user_permissions.add(Permission.objects.get(codename="view_sensitive"))


def grant_viewer(user) -> None:
    """Only the view permissions (whatever the user held before)."""
    user.user_permissions.clear()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS, codename__startswith="view_").exclude(
            codename__in=["view_all_cases", "view_sensitive"]
        )
    )


def client_for(user) -> APIClient:
    """An API client with a new token of ``user``'s (marked used just now, so the
    first request costs the same queries as the next: last_used is written at most
    once a minute; tests/core/test_api_tokens.py tests that)."""
    client = APIClient()
    _instance, token = ApiToken.objects.create(user=user, name="tests", last_used=timezone.now())
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    client.user = user
    return client


def if_match(client: APIClient, path: str) -> dict:
    """The If-Match header a change to ``path`` needs (428 without it): the
    ETag of a GET of it now, as ``**if_match(api, path)`` keyword arguments."""
    etag = client.get(path)["ETag"]
    return {"HTTP_IF_MATCH": etag}


@pytest.fixture
def api_test_settings(settings, django_db_blocker):
    """Users are made with passwords, and the production hasher is slow on purpose;
    the throttles count in tables (vigil_throttle, the cache's), which outlive a test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock():  # also for tests on module-wide data, outside the db fixture
        forget_throttle_counts()


def forget_throttle_counts() -> None:
    """The shared cache and the throttles' counts (neither a model's table: a flush keeps them)."""
    cache.clear()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM vigil_throttle")


@pytest.fixture
def editor(alice, restricted_case):
    grant_editor(alice)
    return alice


@pytest.fixture
def viewer(bob, restricted_case):
    grant_viewer(bob)
    return bob


@pytest.fixture
def outsider(olivia):
    grant_editor(olivia, sensitive=False)
    return olivia


@pytest.fixture
def editor_api(editor) -> APIClient:
    return client_for(editor)


@pytest.fixture
def viewer_api(viewer) -> APIClient:
    return client_for(viewer)


@pytest.fixture
def outsider_api(outsider) -> APIClient:
    return client_for(outsider)


@pytest.fixture
def anonymous_api(db) -> APIClient:
    return APIClient()


@pytest.fixture
def nora(restricted_case):
    """On the restricted case's team, but holding no permission at all."""
    from tests import factories

    user = factories.UserFactory(username="nora")
    factories.CaseMemberFactory(case=restricted_case, user=user)
    return user
