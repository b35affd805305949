"""Two-factor sign-in (django-otp, TOTP): open to every user, required for
those who see every case (superusers, data managers) in the admin and the
dashboard when REQUIRE_TWO_FACTOR is on (the default; `make run` and `make
test` turn it off for the local demo login).

/accounts/two-factor/ sets up an authenticator app (a QR code and its secret)
for a user who has none, and otherwise asks for the current six-digit code.
"""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.access import sees_every_case

# Paths a user who still owes a second factor may reach.
OPEN_PATHS = ("/accounts/two-factor/", "/accounts/logout/", "/admin/logout/", "/static/", "/healthz", "/api/")


def needs_second_factor(user) -> bool:
    return bool(
        settings.REQUIRE_TWO_FACTOR and user.is_authenticated and sees_every_case(user) and not user.is_verified()
    )


class RequireTwoFactorMiddleware:
    """Sends a privileged user without a verified second factor to /accounts/two-factor/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not request.path.startswith(OPEN_PATHS):
            return redirect(f"{reverse('two-factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


@login_required
def two_factor_view(request):
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", "Too many wrong codes in a row: wait a few seconds, then enter the current one.")
        elif device.verify_token(form.cleaned_data["token"].strip().replace(" ", "")):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            target = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
            return redirect(target if safe and target else "/")
        else:
            form.add_error("token", "That code is not right, or has expired: try the current one.")
    context = {"form": form, "setting_up": not device.confirmed, "required": sees_every_case(request.user)}
    if not device.confirmed:
        context["secret"] = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
            scale=4, title="Scan with your authenticator app"
        )
    return render(request, "registration/two_factor.html", context)
