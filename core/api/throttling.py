"""The API's throttles, counting anonymous callers by core.client_ip (never a
client-chosen X-Forwarded-For hop)."""

from __future__ import annotations

from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

from core.client_ip import client_ip


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request) or "unknown"


class UserThrottle(ClientAddressMixin, UserRateThrottle):
    """Each user's request rate (``API_USER_THROTTLE``)."""


class ScopedThrottle(ClientAddressMixin, ScopedRateThrottle):
    """A view's own rate, per user or, for anonymous callers, per client address."""
