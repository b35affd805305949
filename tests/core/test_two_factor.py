"""Two-factor sign-in: available to everyone, required for those who see every case."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def required(settings):
    settings.REQUIRE_TWO_FACTOR = True


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_superuser_without_a_second_factor_is_sent_to_set_one_up(client, sam):
    client.force_login(sam)
    response = client.get("/admin/casework/case/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=/admin/casework/case/"
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "Or type this key" in page
    device = TOTPDevice.objects.get(user=sam)
    assert not device.confirmed
    password = "a long enough password"  # setting up asks for it again (tests/core/test_two_factor_api.py)
    wrong = client.post("/accounts/two-factor/?next=/admin/casework/case/", {"token": "000000", "password": password})
    assert "That code is not right" in wrong.content.decode()
    throttled = client.post(
        "/accounts/two-factor/?next=/admin/casework/case/", {"token": _code(device), "password": password}
    )
    assert "Too many wrong codes" in throttled.content.decode(), "a wrong code slows the next try down"
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(
        "/accounts/two-factor/?next=/admin/casework/case/", {"token": _code(device), "password": password}
    )
    assert done["Location"] == "/admin/casework/case/"
    assert client.get("/admin/casework/case/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_superuser_with_a_device_must_enter_a_code_in_each_session(client, sam):
    device = TOTPDevice.objects.create(user=sam, name="phone", confirmed=True)
    client.force_login(sam)
    assert client.get("/admin/").status_code == 302
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Enter the six-digit code" in page and "<svg" not in page, "the secret is shown only while setting up"
    client.post("/accounts/two-factor/", {"token": _code(device)})
    assert client.get("/admin/").status_code == 200


def test_an_editor_is_not_required_but_may_turn_it_on(client, alice):
    client.force_login(alice)
    assert client.get("/admin/").status_code == 200
    assert client.get("/accounts/two-factor/").status_code == 200


def test_the_requirement_can_be_turned_off(client, sam, settings):
    settings.REQUIRE_TWO_FACTOR = False
    client.force_login(sam)
    assert client.get("/admin/").status_code == 200


def test_an_unsafe_next_is_ignored(client, sam):
    device = TOTPDevice.objects.create(user=sam, name="phone", confirmed=True)
    client.force_login(sam)
    response = client.post("/accounts/two-factor/?next=https://evil.example/", {"token": _code(device)})
    assert response["Location"] == "/"
