"""The second factor protects the API too (issue 10, finding 2).

With REQUIRE_TWO_FACTOR on, a user who must use a second factor (superusers
and data managers) gets an API token only with the current code (``otp``), a
password-only session gets a JSON 403 on /api/, and a token made without the
second factor stops opening the API once its owner must use one. Setting up a
device asks for the password again and is logged; a data manager resets
someone's device in the admin (logged), never reading its secret.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from core.models import ApiToken
from core.roles import DATA_MANAGER
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


@pytest.fixture(autouse=True)
def required(settings):
    settings.REQUIRE_TWO_FACTOR = True


def code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


@pytest.fixture
def manager(db):
    user = factories.UserFactory(username="dana", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=DATA_MANAGER))
    return user


@pytest.fixture
def phone(manager):
    return TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)


def ask_token(**fields):
    return APIClient().post(TOKEN_URL, {"username": "dana", "password": PASSWORD, **fields}, format="json")


def test_a_data_manager_gets_no_token_with_the_password_alone(manager, phone):
    response = ask_token()
    assert response.status_code == 400
    assert "otp" in response.json()
    assert not ApiToken.objects.filter(user=manager).exists()


def test_a_wrong_code_gets_no_token(manager, phone):
    response = ask_token(otp="000000")
    assert response.status_code == 400
    assert "not right" in response.json()["otp"][0]
    assert not ApiToken.objects.filter(user=manager).exists()


def test_with_the_current_code_the_data_manager_gets_a_token_that_opens_the_api(manager, phone):
    response = ask_token(otp=code(phone))
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/cases/").status_code == 200
    assert ApiToken.objects.get(user=manager).second_factor


def test_without_a_device_the_answer_says_to_set_one_up_first(manager):
    response = ask_token(otp="123456")
    assert response.status_code == 403
    assert "/accounts/two-factor/" in response.json()["detail"]


def test_a_superuser_needs_the_code_too(db):
    factories.UserFactory(username="dana", password=PASSWORD, is_superuser=True)
    response = ask_token()
    assert response.status_code == 403, "no device yet: set one up first"
    assert "/accounts/two-factor/" in response.json()["detail"]


def test_an_editor_needs_no_code(editor):
    response = APIClient().post(TOKEN_URL, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.json()


def test_the_requirement_can_be_turned_off(manager, settings):
    settings.REQUIRE_TWO_FACTOR = False
    assert ask_token().status_code == 200


def test_a_password_only_session_gets_a_json_403_on_the_api(manager, phone, client):
    client.force_login(manager)
    for path in ("/api/v1/cases/", "/api/v1/people/", "/api/v1/schema/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response["Content-Type"] == "application/json"
        assert "second factor" in response.json()["detail"]
    write = client.post("/api/v1/notes/", {"body": "x"}, content_type="application/json")
    assert write.status_code == 403
    # Once verified, the same session reads the API.
    client.post("/accounts/two-factor/", {"token": code(phone)})
    assert client.get("/api/v1/cases/").status_code == 200


def test_an_editors_session_is_not_stopped(editor, client):
    client.force_login(editor)
    assert client.get("/api/v1/cases/").status_code == 200


def test_a_token_made_without_the_second_factor_stops_working_when_its_owner_needs_one(editor, settings):
    _instance, token = ApiToken.objects.create(user=editor, name="as an editor")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cases/").status_code == 200
    editor.groups.add(Group.objects.get(name=DATA_MANAGER))  # promoted: now sees every case
    response = client.get("/api/v1/cases/")
    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]


def test_setting_up_a_device_asks_for_the_password_again_and_is_logged(manager, client):
    client.force_login(manager)
    page = client.get("/accounts/two-factor/").content.decode()
    assert 'type="password"' in page
    device = TOTPDevice.objects.get(user=manager)
    wrong = client.post("/accounts/two-factor/", {"token": code(device), "password": "not my password"})
    assert "password is not right" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()
    done = client.post("/accounts/two-factor/", {"token": code(device), "password": PASSWORD})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    entry = LogEntry.objects.get(user=manager, action_flag=ADDITION)
    assert "authenticator" in entry.change_message and entry.object_id == str(device.pk)


def test_entering_a_code_later_does_not_ask_for_the_password(manager, phone, client):
    client.force_login(manager)
    page = client.get("/accounts/two-factor/").content.decode()
    assert 'type="password"' not in page


def test_a_data_manager_resets_someones_device_in_the_admin_without_seeing_its_secret(manager, phone, client, alice):
    lost = TOTPDevice.objects.create(user=alice, name="lost phone", confirmed=True)
    client.force_login(manager)
    client.post("/accounts/two-factor/", {"token": code(phone)})
    listing = client.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200
    assert "lost phone" in listing.content.decode()
    change = client.get(f"/admin/otp_totp/totpdevice/{lost.pk}/change/").content.decode()
    assert lost.key not in change and "otpauth://" not in change, "the secret is never shown"
    response = client.post(f"/admin/otp_totp/totpdevice/{lost.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    assert LogEntry.objects.filter(user=manager, action_flag=DELETION, object_id=str(lost.pk)).exists()


def test_an_editor_cannot_reach_the_devices(alice, client):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 403
