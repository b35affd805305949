"""Middleware that applies one rule to every response or session."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.module_loading import import_string
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

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


#: The service that logs the restricted cases a response showed (by name: core imports no domain app).
VIEW_LOG = "casework.view_log.case_views_record"


class ViewLogMiddleware:
    """Who saw which restricted case, for every interface at once: every record a
    successful response loaded is noted (core/shown.py), and the restricted cases
    they belong to are logged once each (casework.view_log.case_views_record).
    No view logs by itself, so no view can forget to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with collecting() as shown:
            response = self.get_response(request)
        user = getattr(request, "user", None)
        showed = shown.cases or shown.case_ids or shown.records
        if showed and 200 <= response.status_code < 300 and user is not None and user.is_authenticated:
            case_views_record = import_string(VIEW_LOG)
            channel = channel_for_path(request.path)
            case_views_record(request=request, shown=shown, channel=channel, what=_what_was_viewed(request, channel))
        return response


class SessionAbsoluteTimeoutMiddleware:
    """End a session SESSION_ABSOLUTE_SECONDS after login, however active it is;
    and renew its idle timeout (SESSION_COOKIE_AGE) when a request comes
    SESSION_REFRESH_SECONDS or more after the last renewal: the session is then
    saved (expiry and cookie renewed). A request within that time writes no
    session unless something else in it changed (a read costs no write)."""

    KEY = "vigil_authenticated_at"
    RENEWED = "vigil_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            session = request.session
            started = session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
            elif now - session.get(self.RENEWED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.RENEWED] = now  # marks it modified: saved, its expiry renewed
        return self.get_response(request)


NUL_MESSAGE = "The address holds a NUL character (%00), which no Vigil address, filter or search can contain."


class RejectNulMiddleware:
    """A NUL byte in the path or the query string is a 400 that says so, before
    any view runs: PostgreSQL cannot hold one in a text value, so a lookup by
    ``VIG%00`` or an admin filter ``?title=%00`` raised a 500. API paths get
    JSON, others a plain page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(
                f"<!doctype html><title>Bad request</title><p>{NUL_MESSAGE}</p>", content_type="text/html"
            )
        return self.get_response(request)


DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
UNAVAILABLE = _("Vigil is temporarily unavailable: its database cannot be reached. Try again in a minute.")


def unavailable(request) -> HttpResponse:
    """503 with Retry-After: JSON on the API, a plain page elsewhere (no template,
    no query: nothing that needs the database)."""
    # The session can be neither read nor saved: without it, SessionMiddleware leaves the answer alone
    # (otherwise it would try to load it again to refresh the cookie, and fail with a 500).
    if hasattr(request, "session"):
        del request.session
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": str(UNAVAILABLE)}, status=503)
    else:
        title = gettext("Temporarily unavailable")
        response = HttpResponse(
            f"<!doctype html><html lang='{get_language() or 'en'}'><meta charset='utf-8'><title>{title} · Vigil</title>"
            f"<h1>{title}</h1><p>{UNAVAILABLE}</p></html>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """While PostgreSQL cannot be reached, answer 503 with Retry-After instead of a 500.

    Placed after the session and authentication middleware: reading the user is
    the first query of most requests (the session, then the user), and it is
    made here, so an outage is caught whichever middleware would have met it
    first; a view's first query (ATOMIC_REQUESTS opens the transaction) is
    caught by ``process_exception``. ``handler500`` (core.views.server_error)
    catches what is left when DEBUG is off. Nothing is kept: Django drops a
    broken connection at the end of the request (CONN_HEALTH_CHECKS before
    reuse), so the first request after the database is back succeeds.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            # On the token API's lean path (core/api/lean.py) there is no session user yet: the
            # token is read by the view, whose database errors process_exception answers.
            if hasattr(request, "user"):
                request.user.is_authenticated  # noqa: B018 (loads the session and the user now)
        except DATABASE_ERRORS:
            return unavailable(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        return unavailable(request) if isinstance(exception, DATABASE_ERRORS) else None
