"""What an operator reads and scrapes: one JSON log line per event with the request's id, and the metrics endpoint.

- ``RequestIdMiddleware`` gives every request an id (the proxy's ``X-Request-ID`` when it is well-formed, a new
  one otherwise), keeps it in a context variable for the duration of the request, sends it back as
  ``X-Request-ID`` and logs one ``vigil.request`` line per request: method, path (never the query string, where
  searches for people's names live), status, duration, user id.
- ``RequestIdFilter`` puts that id on every log record written while the request runs, whichever logger wrote it.
- ``RedactFilter`` keeps secrets and request data out of the log: the ``request`` object Django attaches to its
  own records is dropped, and any extra field named like a secret is masked.
- ``metrics`` serves django-prometheus' registry only to a scraper holding ``METRICS_TOKEN`` or calling from an
  address in ``METRICS_ALLOWED_IPS``; everyone else gets a 404, as if there were no such page.
"""

from __future__ import annotations

import contextvars
import hmac
import ipaddress
import logging
import re
import time
import uuid

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import empty
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("vigil_request_id", default="-")
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_SECRET_NAMES = re.compile(r"pass|secret|token|key|auth|cookie|session|csrf|otp", re.IGNORECASE)

request_log = logging.getLogger("vigil.request")


class RequestIdMiddleware:
    """Give each request an id, put it on every log line and on the response, and log the request once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = REQUEST_ID.get()
        token = None
        if request_id == "-":  # called without the request_started signal (a RequestFactory request)
            request_id = _request_id(request.META)
            token = REQUEST_ID.set(request_id)
        request.request_id = request_id
        started = time.monotonic()
        try:
            response = self.get_response(request)
        finally:
            if token is not None:
                REQUEST_ID.reset(token)
        response["X-Request-ID"] = request_id
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,  # no query string: searches carry people's names
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "user_id": _user_id(request),
                "request_id": request_id,
            },
        )
        return response


def _user_id(request) -> int | None:
    """The signed-in user's id, if the request already read who it is: the log never
    reads it itself (that is a query, which fails while the database is down)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", user) is empty:
        return None
    try:
        return user.pk if user.is_authenticated else None
    except (DatabaseError, AttributeError):
        return None


def _request_id(environ) -> str:
    offered = environ.get("HTTP_X_REQUEST_ID", "")
    return offered if _WELL_FORMED_ID.fullmatch(offered) else uuid.uuid4().hex


def begin_request(sender, environ=None, **kwargs) -> None:
    """request_started: the id of the request this thread now serves."""
    REQUEST_ID.set(_request_id(environ or {}))


def end_request(sender, **kwargs) -> None:
    """request_finished: lines logged between requests carry no id."""
    REQUEST_ID.set("-")


class RequestIdFilter(logging.Filter):
    """Every record carries ``request_id``: the current request's, or ``-`` outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", "-") == "-":
            record.request_id = REQUEST_ID.get()
        return True


class RedactFilter(logging.Filter):
    """Nothing sensitive leaves in a log line: no request object (its repr holds the query string), no value of a
    field named like a secret, and the query string cut from Django's own "Not Found: /path?…" messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            del record.request
        for name in list(vars(record)):
            if name not in _STANDARD_ATTRIBUTES and _SECRET_NAMES.search(name):
                setattr(record, name, "[redacted]")
        if record.name.startswith("django.") and isinstance(record.args, tuple):
            record.args = tuple(arg.split("?", 1)[0] if isinstance(arg, str) else arg for arg in record.args)
        return True


_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "taskName"}


def _allowed_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(allowed, strict=False) for allowed in settings.METRICS_ALLOWED_IPS)


@transaction.non_atomic_requests  # metrics answer when the database does not: that is when they are read most
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics (django-prometheus): requests, latencies, responses by status, exceptions.

    Closed unless configured: a bearer token (``Authorization: Bearer <METRICS_TOKEN>``) or the scraper's address
    in ``METRICS_ALLOWED_IPS``. Anyone else gets 404."""
    from django_prometheus.exports import ExportToDjangoView

    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    by_token = bool(token) and hmac.compare_digest(offered.encode(), token.encode())
    if not (by_token or _allowed_address(request.META.get("REMOTE_ADDR", ""))):
        raise Http404
    response = ExportToDjangoView(request)
    response.content = response.content + job_metrics().encode()
    return response


def job_metrics() -> str:
    """Background jobs (Procrastinate's table, on Vigil's database) by queue and status, in Prometheus' text
    format: the queue's depth (``todo``), what runs (``doing``) and what failed for good (``failed``). Nothing
    while the database does not answer: the other metrics still do."""
    from django.db import connection

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 2000")
            cursor.execute("SELECT queue_name, status, count(*) FROM procrastinate_jobs GROUP BY 1, 2 ORDER BY 1, 2")
            rows = cursor.fetchall()
    except DatabaseError:
        return ""
    lines = [
        "# HELP vigil_jobs Background jobs by queue and status (todo: the queue's depth; failed: failed for good).",
        "# TYPE vigil_jobs gauge",
    ]
    lines += [f'vigil_jobs{{queue="{queue}",status="{status}"}} {count}' for queue, status, count in rows]
    return "\n".join(lines) + "\n"
