"""Two-factor sign-in (django-otp, TOTP): open to every user, required for
those who see every case (superusers, data managers) in the admin, the
dashboard and the API when REQUIRE_TWO_FACTOR is on (the default; `make run`
and `make test` turn it off for the local demo login).

/accounts/two-factor/ sets up an authenticator app (a QR code and its secret)
for a user who has none, asking for the password again (a stolen session alone
cannot bind a device) and logging it; otherwise it asks for the current
six-digit code. On the API, a password-only session of such a user gets a
JSON 403; the token endpoint wants the code in ``otp`` (core/api/tokens.py),
and a token made without it opens nothing once its owner must use a second
factor (core/api/authentication.py). A data manager resets a lost device in
the admin (core/admin_security.py).
"""

from __future__ import annotations

import logging

import segno
from django import forms
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.access import sees_every_case

log = logging.getLogger("vigil.security")

# Paths a user who still owes a second factor may reach. The API's token endpoint
# reads no session: it asks for the code itself.
OPEN_PATHS = (
    "/accounts/two-factor/",
    "/accounts/logout/",
    "/admin/logout/",
    "/static/",
    "/healthz",
    "/api/v1/auth/token/",
)
API_REFUSAL = (
    "Your account needs a second factor: enter your six-digit code at /accounts/two-factor/ first, "
    'or use an API token made with it (POST /api/v1/auth/token/ with "otp").'
)


def must_use_second_factor(user) -> bool:
    """A user who sees every case, while REQUIRE_TWO_FACTOR is on."""
    return bool(settings.REQUIRE_TWO_FACTOR and user.is_authenticated and sees_every_case(user))


def needs_second_factor(user) -> bool:
    """Such a user whose session has not been verified with a code yet."""
    return must_use_second_factor(user) and not user.is_verified()


class RequireTwoFactorMiddleware:
    """Sends a privileged user without a verified second factor to /accounts/two-factor/;
    on the API (which a browser session also opens), answers a JSON 403 instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not request.path.startswith(OPEN_PATHS):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": API_REFUSAL}, status=403)
            return redirect(f"{reverse('two-factor')}?next={request.get_full_path()}")
        return self.get_response(request)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def check_code(device: TOTPDevice, code: str) -> str | None:
    """None when ``code`` is the device's current one; otherwise why not (a wrong
    code also slows the next try down: django-otp's throttle)."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return "Too many wrong codes in a row: wait a few seconds, then enter the current one."
    if device.verify_token(code.strip().replace(" ", "")):
        return None
    return "That code is not right, or has expired: try the current one."


def log_device(*, user, device: TOTPDevice, flag: int, message: str) -> None:
    """Record a device's set-up or reset in the admin's action log (Recent actions, the device's history)."""
    LogEntry.objects.log_actions(user_id=user.pk, queryset=[device], action_flag=flag, change_message=message)
    log.info("%s: %s (device %s of %s)", user, message, device.pk, device.user)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class SetUpForm(TokenForm):
    password = forms.CharField(
        label=_("Your password (setting up a device asks for it again)"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@login_required
def two_factor_view(request):
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator app", confirmed=False)
    form = (TokenForm if device.confirmed else SetUpForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.confirmed and not _password_again(request, form.cleaned_data["password"]):
            form.add_error("password", "That password is not right.")
        elif problem := check_code(device, form.cleaned_data["token"]):
            form.add_error("token", problem)
        else:
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                log_device(
                    user=request.user, device=device, flag=ADDITION,
                    message="Set up an authenticator app for two-factor sign-in (password confirmed).",
                )  # fmt: skip
            otp_login(request, device)
            target = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
            return redirect(target if safe and target else "/")
    context = {"form": form, "setting_up": not device.confirmed, "required": sees_every_case(request.user)}
    if not device.confirmed:
        context["secret"] = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
            scale=4, title="Scan with your authenticator app"
        )
    return render(request, "registration/two_factor.html", context)


def _password_again(request, password: str) -> bool:
    """The signed-in user's password, checked as a sign-in: a wrong one counts
    towards django-axes' lockout, so a stolen session cannot guess it here."""
    user = authenticate(request, username=request.user.get_username(), password=password)
    return user is not None and user.pk == request.user.pk
