"""Reads from a streaming replica, when there is one (DATABASE_REPLICA_URL; docs/scaling.md).

Only what cannot hurt goes to the replica: GET and HEAD requests of the API's lists and searches and of the
dashboard's read pages, and within them only the case data (people, casework, events). Everything else reads
the primary: every write, admin, sign-in, sessions, the shared cache (throttle counts), permissions, tokens,
and any request of a user who has written anything in the last DATABASE_READ_YOUR_WRITES_SECONDS (so no one
sees their own change "vanish" while the replica catches up).

A replica that does not answer is left alone for DATABASE_REPLICA_RETRY_SECONDS, and the primary serves its
reads meanwhile: losing the replica slows Vigil down, never stops it.
"""

from __future__ import annotations

import contextvars
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
REPLICA_APPS = frozenset({"people", "casework", "events"})
DASHBOARD_READ_PAGES = frozenset({"home", "case_list", "case_detail", "case_export", "person_search", "person_detail"})
_SAFE = frozenset({"GET", "HEAD"})

_read_from: contextvars.ContextVar[str] = contextvars.ContextVar("vigil_read_from", default=DEFAULT_DB_ALIAS)
_replica_down_until = 0.0  # per process: when to try a replica that failed again
log = logging.getLogger("vigil.replica")


class ReplicaRouter:
    """Case data is read where the current request was sent (the primary unless ReplicaMiddleware chose the
    replica); every write, and every migration, goes to the primary."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in REPLICA_APPS:
            return _read_from.get()
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _wrote_key(user_id: int) -> str:
    return f"vigil:wrote:{user_id}"


def wrote_recently(user) -> bool:
    return bool(cache.get(_wrote_key(user.pk)))


def mark_written(user) -> None:
    """The user changed something: their reads stay on the primary for the read-your-writes window."""
    cache.set(_wrote_key(user.pk), 1, settings.DATABASE_READ_YOUR_WRITES_SECONDS)


def replica_available() -> bool:
    """Connect (or check the kept connection) to the replica; after a failure, skip it for a while."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    connection = connections[REPLICA]
    try:
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        connection.ensure_connection()
        return True
    except Exception as error:  # the replica is down, restarting or unreachable: the primary serves
        connection.close()
        _replica_down_until = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
        log.warning("replica unavailable, reading from the primary for %ss: %s",
                    settings.DATABASE_REPLICA_RETRY_SECONDS, type(error).__name__)  # fmt: skip
        return False


def _is_read_page(request, view_func) -> bool:
    if request.method not in _SAFE:
        return False
    actions = getattr(view_func, "actions", None)  # a DRF viewset: {"get": "list"} for a list or search
    if actions is not None:
        return actions.get("get") == "list"
    match = request.resolver_match
    return match is not None and match.url_name in DASHBOARD_READ_PAGES and not request.path.startswith("/admin/")


def _caller(request):
    """The signed-in user, or the API token's (DRF authenticates inside the view, after this middleware)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    from rest_framework.exceptions import AuthenticationFailed

    from core.api.authentication import TokenAuthentication

    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    return found[0] if found else None


class ReplicaMiddleware:
    """Chooses, once per request, where case data is read; marks users who write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            _read_from.set(DEFAULT_DB_ALIAS)
        user = getattr(request, "user", None)
        if request.method not in _SAFE and user is not None and user.is_authenticated and response.status_code < 400:
            mark_written(user)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _is_read_page(request, view_func):
            return None
        user = _caller(request)
        if user is not None and user.is_authenticated and not wrote_recently(user) and replica_available():
            _read_from.set(REPLICA)
            request.read_from = REPLICA
        return None
