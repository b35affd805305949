"""API throttling: each user has a request rate, counted where every Vigil
process reads it (Redis, or a PostgreSQL table: core/api/throttling.py); beyond it, 429 with Retry-After. The rate is lowered here to
three a minute. (The token endpoint's own rate: test_login_and_sessions.py.)"""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import SimpleRateThrottle

from core.api.throttling import UserThrottle
from tests.api_fixtures import client_for
from watch.retention import prune

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


def test_the_count_is_kept_in_a_table_every_process_shares(three_a_minute, editor):
    # Not a process's own memory: without REDIS_URL, a table in PostgreSQL.
    assert isinstance(caches["default"], DatabaseCache)
    # Two clients (two connections, two workers) with the same token share one count.
    first, second = client_for(editor), client_for(editor)
    for client in (first, second, first):
        assert client.get("/api/v1/cases/").status_code == 200
    assert second.get("/api/v1/cases/").status_code == 429
    assert counts() == {f"throttle_user_{editor.pk}": (3, 0)}  # the refused request is not counted


def counts() -> dict[str, tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, hits, previous FROM vigil_throttle")
        return {key: (hits, previous) for key, hits, previous in cursor.fetchall()}


def test_counting_a_request_is_one_statement_on_the_counts_table(three_a_minute, editor_api):
    with CaptureQueriesContext(connection) as queries:
        assert editor_api.get("/api/v1/cases/").status_code == 200
    statements = [q["sql"].rsplit("; ", 1)[-1] for q in queries]  # pghistory's context rides on the statement
    counting = [sql for sql in statements if "vigil_throttle" in sql or "vigil_cache" in sql]
    assert len(counting) == 1 and counting[0].lstrip().startswith("INSERT INTO vigil_throttle"), counting


@pytest.mark.parametrize(("into", "status", "retry_after"), [(15, 429, 5), (30, 200, None)])
def test_the_last_minute_still_counts_in_the_share_that_is_within_reach(
    three_a_minute, editor, editor_api, monkeypatch, into, status, retry_after
):
    """Three requests in the last minute, and it is now ``into`` seconds into this one: 3 x (1 - into/60)
    of them are taken as still within the last 60 s. At 15 s a fourth request would make 3.25: refused,
    until 20 s (3 x 40/60 + 1 = 3); at 30 s it makes 2.5: allowed."""
    slot = int(time.time() // 60)
    monkeypatch.setattr(UserThrottle, "timer", lambda self: slot * 60 + into)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO vigil_throttle (key, seconds, slot, hits, previous) VALUES (%s, 60, %s, 3, 0)",
            [f"throttle_user_{editor.pk}", slot - 1],
        )
    response = editor_api.get("/api/v1/cases/")
    assert response.status_code == status
    if retry_after:
        assert int(response["Retry-After"]) == retry_after
        assert counts()[f"throttle_user_{editor.pk}"] == (3, 0)  # refused: not counted
    else:
        assert counts()[f"throttle_user_{editor.pk}"] == (1, 3)


def test_a_caller_quiet_for_two_windows_is_forgotten_by_the_hourly_prune(editor):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO vigil_throttle (key, seconds, slot, hits, previous) VALUES ('old', 60, %s, 5, 0),"
            " ('recent', 60, %s, 5, 0)",
            [int(time.time() // 60) - 3, int(time.time() // 60) - 1],
        )
    assert prune()["throttle_counts"] == 1
    assert set(counts()) == {"recent"}
