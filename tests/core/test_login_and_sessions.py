"""Logins are locked after repeated failures, logged, and sessions end."""

import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from tests import factories

LOGIN = "/admin/login/"


@pytest.fixture
def carol(db):
    return factories.UserFactory(username="carol", password="correct horse battery staple")


def _try(client, password, username="carol"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_five_failed_logins_lock_the_account_and_say_so(client, carol):
    for _ in range(5):
        response = _try(client, "wrong password")
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    locked = _try(client, "correct horse battery staple")
    assert locked.status_code == 429, "even the right password is refused during the cool-off"
    assert AccessAttempt.objects.filter(username="carol").exists()


def test_four_failures_then_the_right_password_signs_in(client, carol):
    for _ in range(4):
        assert _try(client, "wrong password").status_code == 200
    assert _try(client, "correct horse battery staple").status_code == 302


def test_logins_failures_and_logouts_are_logged(client, carol):
    _try(client, "wrong password")
    _try(client, "correct horse battery staple")
    client.post("/admin/logout/")
    assert AccessFailureLog.objects.filter(username="carol").count() == 1
    log = AccessLog.objects.get(username="carol")
    assert log.attempt_time is not None and log.logout_time is not None


def test_a_deactivated_user_is_signed_out_at_the_next_request(client, carol):
    carol.is_staff = True
    carol.save()
    client.force_login(carol)
    assert client.get("/admin/").status_code == 200
    carol.is_active = False
    carol.save()
    assert client.get("/admin/").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_however_active(client, carol, settings):
    carol.is_staff = True
    carol.save()
    client.force_login(carol)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session["vigil_authenticated_at"] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    assert client.get("/admin/").status_code == 302


def test_sessions_expire_when_idle_and_rotate_at_login(client, carol, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS == 60
    client.get(LOGIN)
    before = client.cookies.get("sessionid")
    _try(client, "correct horse battery staple")
    assert client.cookies["sessionid"].value != (before.value if before else None)
    assert client.cookies["sessionid"]["httponly"]


def _session_row(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key)


def test_a_page_renews_the_idle_timeout_at_most_once_a_minute(client, carol, settings):
    carol.is_staff = True
    carol.save()
    client.force_login(carol)
    assert client.get("/admin/").status_code == 200  # the first page renews: sign-in time, renewal
    renewed = _session_row(client).expire_date
    assert client.get("/admin/").status_code == 200
    assert _session_row(client).expire_date == renewed  # within the minute: nothing written
    session = client.session
    session["vigil_renewed_at"] = time.time() - settings.SESSION_REFRESH_SECONDS
    session.save()
    saved = _session_row(client).expire_date
    time.sleep(0.01)
    assert client.get("/admin/").status_code == 200
    assert _session_row(client).expire_date > saved  # a minute later: renewed, cookie and row
    assert client.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_an_idle_session_ends_even_when_its_last_pages_renewed_nothing(client, carol, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    carol.is_staff = True
    carol.save()
    client.force_login(carol)
    assert client.get("/admin/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    assert client.get("/admin/").status_code == 302


def test_a_cached_session_survives_a_cache_flush(client, carol, settings):
    """With Redis, sessions are cached_db: a Redis flush or restart signs no one out."""
    from django.core.cache import cache

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    carol.is_staff = True
    carol.save()
    client.force_login(carol)
    assert client.get("/admin/").status_code == 200
    cache.clear()
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_page_reads_the_user_permissions_and_preferences_in_one_query(client, carol, settings):
    from django.contrib.auth.models import Group, Permission
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.services import preferences_set

    preferences_set(user=carol, language="uk", time_zone="Europe/Kyiv")
    carol.is_staff = True
    carol.save()
    client.force_login(carol)
    client.get("/admin/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/")
    assert response.status_code == 200 and response["Content-Language"] == "uk"
    assert [q["sql"] for q in queries if "auth_permission" in q["sql"] or "core_userpreferences" in q["sql"]] == [
        next(q["sql"] for q in queries if '"auth_user"' in q["sql"])
    ]
    # Read with the user, on each request: a permission granted through a group counts at the next page.
    assert "/admin/casework/case/" not in response.content.decode()
    group = Group.objects.create(name="Readers")
    group.permissions.add(Permission.objects.get(codename="view_case"))
    carol.groups.add(group)
    assert "/admin/casework/case/" in client.get("/admin/").content.decode()


def test_passwords_need_twelve_characters(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Sh0rt!pass")
