"""Each request in its user's language and time zone.

Language: the user's own choice (account page or the header's switcher, stored
in ``UserPreferences``) wins; then the browser's ``Accept-Language`` (the API
honours it too); then the site default ``LANGUAGE_CODE`` (``VIGIL_LANGUAGE``).
URLs never change with the language. Someone not signed in who picks a language
in the switcher keeps it in Django's language cookie.

Time zone: the user's own (account page), else the site's ``TIME_ZONE``; every
time a page, an e-mail or the dossier shows is in it. The API writes ISO 8601
with the offset, so a client never has to guess.
"""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone name this Python knows (the account page's choices), sorted."""
    return tuple(sorted(zoneinfo.available_timezones()))


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def preferences_of(user):
    """The user's ``UserPreferences`` or None (anonymous, or never set)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from core.models import UserPreferences

    cached = getattr(user, "_vigil_preferences", False)
    if cached is False:
        cached = UserPreferences.objects.filter(user=user).first()
        user._vigil_preferences = cached
    return cached


def load_preferences(users) -> None:
    """Read the ``UserPreferences`` of many users in one query (a job e-mailing each in their own time zone)."""
    from core.models import UserPreferences

    pending = [user for user in users if getattr(user, "_vigil_preferences", False) is False]
    if not pending:
        return
    found = {p.user_id: p for p in UserPreferences.objects.filter(user__in=[user.pk for user in pending])}
    for user in pending:
        user._vigil_preferences = found.get(user.pk)


def language_for(request) -> str:
    """The language to answer ``request`` in (see the module's docstring)."""
    preferences = preferences_of(getattr(request, "user", None))
    if preferences is not None and preferences.language in dict(settings.LANGUAGES):
        return preferences.language
    # The cookie (a signed-out visitor's switcher choice), then Accept-Language, then LANGUAGE_CODE.
    return translation.get_language_from_request(request, check_path=False)


def time_zone_for(user) -> zoneinfo.ZoneInfo:
    """The user's time zone, else the site's."""
    preferences = preferences_of(user)
    name = preferences.time_zone if preferences is not None and preferences.time_zone else settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def language_of(user) -> str:
    """The language to write to ``user`` in when there is no request (e-mails, digests)."""
    preferences = preferences_of(user)
    if preferences is not None and preferences.language in dict(settings.LANGUAGES):
        return preferences.language
    return settings.LANGUAGE_CODE


def local_time(moment) -> str:
    """``moment`` on the current clock, written the current language's way, its zone named:
    "17 February 2025 15:30 (Asia/Seoul)" (for e-mails, where no page names the zone)."""
    from django.utils.formats import date_format

    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATETIME_FORMAT')} ({timezone.get_current_timezone_name()})"


class override_for:
    """``with override_for(user):`` renders an e-mail in the user's language and time zone."""

    def __init__(self, user):
        self.user = user

    def __enter__(self):
        self._language = translation.override(language_of(self.user))
        self._zone = timezone.override(time_zone_for(self.user))
        self._language.__enter__()
        self._zone.__enter__()

    def __exit__(self, *exc):
        self._zone.__exit__(*exc)
        self._language.__exit__(*exc)


class UserLocaleMiddleware:
    """Activates the request's language and time zone (after authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        timezone.activate(time_zone_for(getattr(request, "user", None)))
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
            translation.deactivate()
        # The same URL answers in another language for another browser or user.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


def locale_context(request) -> dict:
    """For the header's language switcher and pages that name the time zone."""
    return {
        "VIGIL_LANGUAGES": settings.LANGUAGES,
        "VIGIL_TIME_ZONE": timezone.get_current_timezone_name(),
    }
