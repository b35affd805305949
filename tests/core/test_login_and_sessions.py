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
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.get(LOGIN)
    before = client.cookies.get("sessionid")
    _try(client, "correct horse battery staple")
    assert client.cookies["sessionid"].value != (before.value if before else None)
    assert client.cookies["sessionid"]["httponly"]


def test_passwords_need_twelve_characters(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Sh0rt!pass")
