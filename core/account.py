"""The account page (/accounts/): the signed-in user's language and time zone
(and the header's language switcher, ``language_switch``); their own API tokens, listed
with their name, when they were made, when they expire and when they were last
used; a new one is made here (shown once), any is revoked here. Another user's
token cannot be named: every lookup starts from the user's own."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from knox.settings import knox_settings

from core.api.tokens import issue_token, live_tokens
from core.locale import preferences_of, time_zone_names
from core.models import ApiToken
from core.services import preferences_set

log = logging.getLogger("vigil.security")


class NewTokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What is it for?"), max_length=100, initial="API token")


def _language_choices():
    return [("", gettext_lazy("Your browser's language")), *settings.LANGUAGES]


def _time_zone_choices():
    return [("", gettext_lazy("The site's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE})] + [
        (name, name.replace("_", " ")) for name in time_zone_names()
    ]


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=_language_choices, required=False)
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        choices=_time_zone_choices,
        required=False,
        help_text=gettext_lazy("Every time Vigil shows you (pages, e-mails, the dossier) is in this zone."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_view(request):
    own = ApiToken.objects.filter(user=request.user)
    form = NewTokenForm()
    new_token = None
    current = preferences_of(request.user)
    preferences_form = PreferencesForm(
        initial={"language": getattr(current, "language", ""), "time_zone": getattr(current, "time_zone", "")}
    )
    if request.method == "POST" and "preferences" in request.POST:
        preferences_form = PreferencesForm(request.POST)
        if preferences_form.is_valid():
            preferences_set(user=request.user, **preferences_form.cleaned_data)
            language = preferences_form.cleaned_data["language"] or translation.get_language_from_request(request)
            with translation.override(language):
                messages.success(request, _("Your language and time zone are saved."))
            return redirect("account")
    if request.method == "POST" and "revoke" in request.POST:
        revoked, _counts = own.filter(token_key=request.POST["revoke"][:25]).delete()
        if revoked:
            log.info("API token %s of %s revoked on the account page", request.POST["revoke"][:25], request.user)
            messages.success(request, _("Token revoked: it no longer opens the API."))
        else:
            messages.error(request, _("No such token of yours (already revoked?)."))
        return redirect("account")
    if request.method == "POST":
        form = NewTokenForm(request.POST)
        limit = knox_settings.TOKEN_LIMIT_PER_USER
        if limit is not None and live_tokens(request.user).count() >= limit:
            form.add_error(None, _("You have %(limit)d live tokens: revoke one first.") % {"limit": limit})
        if form.is_valid():
            _instance, new_token = issue_token(
                user=request.user, name=form.cleaned_data["name"], second_factor=request.user.is_verified()
            )
            log.info("API token made on the account page for %s", request.user)
            form = NewTokenForm()
    return render(
        request,
        "registration/account.html",
        {
            "tokens": own.order_by("-created"),
            "form": form,
            "new_token": new_token,
            "now": timezone.now(),
            "preferences_form": preferences_form,
        },
    )


@require_POST
def language_switch(request):
    """The header's language switcher: stores the choice on a signed-in user, and
    in the language cookie for anyone; back to the page it was sent from (its
    Referer, same host only; the page does not write its own path into the form,
    so a 404 never repeats what was asked for). URLs never carry the language."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or request.headers.get("referer") or reverse("home")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        current = preferences_of(request.user)
        preferences_set(user=request.user, language=language, time_zone=getattr(current, "time_zone", ""))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
