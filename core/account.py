"""The account page (/accounts/): the signed-in user's own API tokens, listed
with their name, when they were made, when they expire and when they were last
used; a new one is made here (shown once), any is revoked here. Another user's
token cannot be named: every lookup starts from the user's own."""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from knox.settings import knox_settings

from core.api.tokens import issue_token, live_tokens
from core.models import ApiToken

log = logging.getLogger("vigil.security")


class NewTokenForm(forms.Form):
    name = forms.CharField(label="What is it for?", max_length=100, initial="API token")


@login_required
@require_http_methods(["GET", "POST"])
def account_view(request):
    own = ApiToken.objects.filter(user=request.user)
    form = NewTokenForm()
    new_token = None
    if request.method == "POST" and "revoke" in request.POST:
        revoked, _ = own.filter(token_key=request.POST["revoke"][:25]).delete()
        if revoked:
            log.info("API token %s of %s revoked on the account page", request.POST["revoke"][:25], request.user)
            messages.success(request, "Token revoked: it no longer opens the API.")
        else:
            messages.error(request, "No such token of yours (already revoked?).")
        return redirect("account")
    if request.method == "POST":
        form = NewTokenForm(request.POST)
        limit = knox_settings.TOKEN_LIMIT_PER_USER
        if limit is not None and live_tokens(request.user).count() >= limit:
            form.add_error(None, f"You have {limit} live tokens: revoke one first.")
        if form.is_valid():
            _instance, new_token = issue_token(
                user=request.user, name=form.cleaned_data["name"], second_factor=request.user.is_verified()
            )
            log.info("API token made on the account page for %s", request.user)
            form = NewTokenForm()
    return render(
        request,
        "registration/account.html",
        {"tokens": own.order_by("-created"), "form": form, "new_token": new_token, "now": timezone.now()},
    )
