"""API tokens (issue 10, finding 11): stored as digests, never in plain text;
each has a name, an expiry (API_TOKEN_DAYS, 90 by default) and a last-used
time; its owner lists, makes and revokes them on the account page; all of a
user's tokens end when the password changes or the account is deactivated."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from core.models import ApiToken
from tests import factories
from tests.conftest import grant_editor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]

PASSWORD = "a long enough password"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def editor(alice, restricted_case):
    """Alice, an editor (tests/api_fixtures.py's; named here, as another plugin's ``editor`` is someone else)."""
    grant_editor(alice)
    return alice


def get_token(username="alice", password=PASSWORD, **extra) -> str:
    response = APIClient().post(TOKEN_URL, {"username": username, "password": password, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def opens_the_api(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/cases/").status_code


def test_a_token_is_stored_as_a_digest_never_in_plain_text(editor):
    token = get_token(name="weekly report")
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    stored = ApiToken.objects.get(user=editor)
    assert stored.digest == hashlib.sha512(token.encode()).hexdigest()
    # Nowhere in the database: every text column of every row of the table.
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(t)::text FROM core_apitoken t")
        rows = [row[0] for row in cursor.fetchall()]
    assert rows and not any(token in row for row in rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('authtoken_token')")
        assert cursor.fetchone()[0] is None, "DRF's plain-text token table is gone"


def test_a_token_has_a_name_an_expiry_in_90_days_and_a_last_used_time(editor, settings):
    assert settings.API_TOKEN_DAYS == 90
    before = timezone.now()
    response = APIClient().post(
        TOKEN_URL, {"username": "alice", "password": PASSWORD, "name": "weekly report"}, format="json"
    )
    body = response.json()
    assert set(body) == {"token", "name", "expiry"}
    assert body["name"] == "weekly report"
    stored = ApiToken.objects.get(user=editor)
    assert stored.name == "weekly report"
    assert datetime.timedelta(days=90) <= stored.expiry - before < datetime.timedelta(days=90, minutes=5)
    assert stored.last_used is None
    assert opens_the_api(body["token"]) == 200
    stored.refresh_from_db()
    assert stored.last_used is not None and stored.last_used >= before


def test_each_request_makes_a_new_token_and_the_old_ones_keep_working(editor):
    first, second = get_token(), get_token()
    assert first != second
    assert opens_the_api(first) == opens_the_api(second) == 200
    assert ApiToken.objects.filter(user=editor).count() == 2


def test_an_expired_token_is_refused(editor):
    token = get_token()
    ApiToken.objects.filter(user=editor).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_changed_password_revokes_every_token_of_the_user(editor, client):
    tokens = [get_token(), get_token()]
    other = grant_editor(factories.UserFactory(username="zed", password=PASSWORD))
    zeds = get_token("zed")
    client.force_login(editor)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another long password 7",
            "new_password2": "another long password 7",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert [opens_the_api(token) for token in tokens] == [401, 401]
    assert not ApiToken.objects.filter(user=editor).exists()
    assert opens_the_api(zeds) == 200, "other users' tokens stay"
    assert other.is_active


def test_a_password_set_by_a_data_manager_or_a_reset_revokes_them_too(editor):
    token = get_token()
    editor.set_password("reset by someone else 9")
    editor.save()
    assert opens_the_api(token) == 401


def test_a_deactivated_user_loses_every_token(editor):
    token = get_token()
    editor.is_active = False
    editor.save()
    assert not ApiToken.objects.filter(user=editor).exists()
    editor.is_active = True
    editor.save()
    assert opens_the_api(token) == 401, "reactivating the account does not bring the token back"


def test_signing_in_does_not_revoke_tokens(editor, client):
    token = get_token()
    assert client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    assert opens_the_api(token) == 200


def test_the_account_page_lists_makes_and_revokes_the_users_own_tokens(editor, client):
    token = get_token(name="weekly report")
    grant_editor(factories.UserFactory(username="zed", password=PASSWORD))
    get_token("zed", name="zeds secret job")
    client.force_login(editor)
    page = client.get("/accounts/").content.decode()
    assert "weekly report" in page and "zeds secret job" not in page
    assert token not in page, "a token is shown once, when it is made"
    made = client.post("/accounts/", {"name": "laptop script"})
    new_token = re.search(r'data-testid="new-token">([0-9a-f]{64})<', made.content.decode()).group(1)
    assert opens_the_api(new_token) == 200
    assert new_token not in client.get("/accounts/").content.decode()
    laptop = ApiToken.objects.get(user=editor, name="laptop script")
    assert client.post("/accounts/", {"revoke": laptop.token_key}).status_code == 302
    assert opens_the_api(new_token) == 401
    assert opens_the_api(token) == 200


def test_nobody_revokes_or_sees_someone_elses_token(editor, client):
    grant_editor(factories.UserFactory(username="zed", password=PASSWORD))
    zeds = get_token("zed")
    client.force_login(editor)
    client.post("/accounts/", {"revoke": ApiToken.objects.get(user__username="zed").token_key})
    assert opens_the_api(zeds) == 200
    anonymous = client.__class__()
    assert anonymous.get("/accounts/")["Location"].startswith("/accounts/login/")
    assert anonymous.post("/accounts/", {"revoke": zeds[:15]}).status_code == 302
    assert opens_the_api(zeds) == 200


def test_the_last_used_time_is_written_at_most_once_a_minute(editor):
    token = get_token()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    client.get("/api/v1/cases/")
    first = ApiToken.objects.get(user=editor).last_used
    client.get("/api/v1/cases/")
    assert ApiToken.objects.get(user=editor).last_used == first
    ApiToken.objects.filter(user=editor).update(last_used=first - datetime.timedelta(minutes=2))
    client.get("/api/v1/cases/")
    assert ApiToken.objects.get(user=editor).last_used > first


def test_a_user_has_at_most_20_live_tokens(editor, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "auth-token", "100/minute")
    for _ in range(20):
        get_token()
    response = APIClient().post(TOKEN_URL, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert "revoke one" in response.json()["detail"]


def test_the_management_command_makes_lists_and_revokes_tokens(editor, capsys):
    call_command("api_token", "alice", "--name", "cron")
    token = capsys.readouterr().out.strip()
    assert opens_the_api(token) == 200
    call_command("api_token", "alice", "--list")
    assert "cron" in capsys.readouterr().out
    call_command("api_token", "alice", "--revoke-all")
    assert opens_the_api(token) == 401


def test_tokens_are_listed_and_revoked_in_the_admin_never_shown(editor, sam):
    token = get_token(name="weekly report")
    client = APIClient()
    client.force_login(sam)
    page = client.get("/admin/core/apitoken/").content.decode()
    assert "weekly report" in page and token not in page
    assert client.get("/admin/core/apitoken/add/").status_code == 403
    stored = ApiToken.objects.get(user=editor)
    response = client.post(f"/admin/core/apitoken/{stored.pk}/delete/", {"post": "yes"}, format="multipart")
    assert response.status_code == 302
    assert opens_the_api(token) == 401


def test_a_data_manager_sees_and_revokes_tokens_in_the_admin_an_editor_does_not(editor, client):
    from django.contrib.auth.models import Group

    from core.roles import DATA_MANAGER

    token = get_token(name="weekly report")
    manager = factories.UserFactory(username="dana", is_staff=True)
    manager.groups.add(Group.objects.get(name=DATA_MANAGER))
    client.force_login(manager)
    assert "weekly report" in client.get("/admin/core/apitoken/").content.decode()
    stored = ApiToken.objects.get(user=editor)
    assert client.post(f"/admin/core/apitoken/{stored.pk}/delete/", {"post": "yes"}).status_code == 302
    assert opens_the_api(token) == 401
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    assert client.get("/admin/core/apitoken/").status_code == 403
