"""A token-authenticated API request takes the lean middleware stack (core/api/lean.py):
no session, no CSRF, no second-factor redirect, no messages; the same answers,
the same security headers, and the token's own second-factor rule."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.api_fixtures import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]


def test_the_lean_stack_leaves_out_only_what_a_browser_needs():
    lean = settings.API_TOKEN_MIDDLEWARE
    for browser_only in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "core.two_factor.RequireTwoFactorMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ):
        assert browser_only not in lean
    for kept in (
        "csp.middleware.CSPMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "core.api.middleware.RequestSizeLimitMiddleware",
        "core.history.HistoryChannelMiddleware",
        "core.middleware.ViewLogMiddleware",
    ):
        assert kept in lean


def test_a_token_request_loads_no_session_and_sets_no_cookie(alice, restricted_case):
    response = client_for(alice).get(f"/api/v1/cases/{restricted_case.pk}/")
    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "session")
    assert not response.cookies
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_a_session_request_still_takes_the_whole_stack(alice, restricted_case):
    client = APIClient()
    client.force_login(alice)
    response = client.get(f"/api/v1/cases/{restricted_case.pk}/")
    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "session")


def test_a_bad_token_is_still_a_401_on_the_lean_path(restricted_case):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)
    response = client.get(f"/api/v1/cases/{restricted_case.pk}/")
    assert response.status_code == 401
    assert not hasattr(response.wsgi_request, "session")


def test_an_outsiders_token_still_gets_404_for_a_restricted_case(olivia, restricted_case):
    assert client_for(olivia).get(f"/api/v1/cases/{restricted_case.pk}/").status_code == 404
