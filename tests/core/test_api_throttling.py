"""API throttling: each user has a request rate, counted in a cache every Vigil
process shares; beyond it, 429 with Retry-After. The rate is lowered here to
three a minute. (The token endpoint's own rate: test_login_and_sessions.py.)"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from rest_framework.throttling import SimpleRateThrottle

from tests.api_fixtures import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]


@pytest.fixture
def three_a_minute(monkeypatch):
    # DRF's throttles read their rates once, at import: lower them where they are kept.
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/minute")


def test_a_user_over_the_rate_gets_429_with_retry_after_and_a_message(three_a_minute, editor_api):
    for _ in range(3):
        assert editor_api.get("/api/v1/cases/").status_code == 200
    response = editor_api.get("/api/v1/cases/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["Content-Type"] == "application/json"
    assert "throttled" in response.json()["detail"]


def test_the_count_is_per_user(three_a_minute, editor_api, viewer_api):
    for _ in range(3):
        editor_api.get("/api/v1/cases/")
    assert editor_api.get("/api/v1/cases/").status_code == 429
    assert viewer_api.get("/api/v1/cases/").status_code == 200


def test_the_count_is_kept_in_the_cache_every_process_shares(three_a_minute, editor):
    # Not a process's own memory: without REDIS_URL, a table in PostgreSQL.
    assert isinstance(caches["default"], DatabaseCache)
    # Two clients (two connections, two workers) with the same token share one count.
    first, second = client_for(editor), client_for(editor)
    for client in (first, second, first):
        assert client.get("/api/v1/cases/").status_code == 200
    assert second.get("/api/v1/cases/").status_code == 429
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM vigil_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any(key.endswith(f"throttle_user_{editor.pk}") for key in keys), keys
