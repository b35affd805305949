"""Middleware that applies one rule to every response or session."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from core.history import Channel, channel_for_path
from core.models import RecordChanged
from core.shown import collecting


class NoStoreMiddleware:
    """Case data must not linger in a browser's or a proxy's cache: every page
    and API response says ``Cache-Control: no-store`` (static files, served by
    whitenoise before this runs, keep their long cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        return response


class RecordChangedMiddleware:
    """The rare race the forms' version check cannot see (two saves in the same
    instant): the losing write was refused and rolled back; say so with 409.
    (The API answers such a race itself, with 412: core/api/exceptions.py.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RecordChanged):
            return None
        message = "Someone else saved this record at the same moment: nothing of yours was saved. Reload and try again."
        return HttpResponse(f"<!doctype html><title>Changed meanwhile</title><p>{message}</p>", status=409)


def _what_was_viewed(request, channel: str) -> str:
    """ "detail", "list", "timeline"... for the API (its route's last word); "list" or "page" elsewhere."""
    name = getattr(getattr(request, "resolver_match", None), "url_name", None) or ""
    if channel == Channel.API:
        return name.rsplit("-", 1)[-1][:40] or "api"
    return "list" if name.endswith(("changelist", "_list", "_search", "autocomplete")) or name == "home" else "page"


class ViewLogMiddleware:
    """Who saw which restricted case, for every interface at once: every record a
    successful response loaded is noted (core/shown.py), and the restricted cases
    they belong to are logged once each (casework.services.case_views_record).
    No view logs by itself, so no view can forget to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with collecting() as shown:
            response = self.get_response(request)
        user = getattr(request, "user", None)
        showed = shown.cases or shown.case_ids or shown.records
        if showed and 200 <= response.status_code < 300 and user is not None and user.is_authenticated:
            from casework.services import case_views_record

            channel = channel_for_path(request.path)
            case_views_record(request=request, shown=shown, channel=channel, what=_what_was_viewed(request, channel))
        return response


class SessionAbsoluteTimeoutMiddleware:
    """End a session SESSION_ABSOLUTE_SECONDS after login, however active it is
    (the idle timeout is SESSION_COOKIE_AGE, renewed by each request)."""

    KEY = "vigil_authenticated_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            started = request.session.setdefault(self.KEY, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)
