"""The lean path: a token-authenticated API request skips what only the browser needs.

A request to ``/api/`` carrying ``Authorization: Token …`` is answered by a
second middleware stack, ``API_TOKEN_MIDDLEWARE`` (config/settings/operations.py): no
session to load or save, no CSRF check (a token is not sent by a browser on
its own), no authentication from the session, no second-factor redirect (a
token's own rule, ``core.api.authentication.TokenAuthentication``, refuses a
token made without the second factor the account needs: tests/core/test_two_factor_api.py),
no messages, no login lockout page. Security headers, size limits, history,
the view log and metrics stay. docs/scaling.md measures what each skipped
middleware cost.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.handlers.base import BaseHandler

_loading = threading.Lock()


def is_token_api_request(request) -> bool:
    return request.path.startswith("/api/") and request.META.get("HTTP_AUTHORIZATION", "")[:6].lower() == "token "


class TokenApiHandler(BaseHandler):
    """Django's request handling with the token API's middleware stack."""

    def __init__(self):
        super().__init__()
        # BaseHandler reads settings.MIDDLEWARE: give it the lean list while it builds the chain
        # (once, when the process starts serving).
        with _loading:
            full = settings.MIDDLEWARE
            settings.MIDDLEWARE = settings.API_TOKEN_MIDDLEWARE
            try:
                self.load_middleware()
            finally:
                settings.MIDDLEWARE = full


class TokenApiPathMiddleware:
    """Sends token-authenticated API requests down the lean stack (``TokenApiHandler``)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.lean = TokenApiHandler()

    def __call__(self, request):
        if is_token_api_request(request):
            return self.lean.get_response(request)
        return self.get_response(request)
