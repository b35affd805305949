"""Views that belong to no single app: liveness and readiness probes."""

import sys

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as django_server_error


@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 while this process answers requests. It asks nothing of the database, so a database outage
    makes the app *unready* (/readyz), never "dead": an orchestrator must not restart every web process for it."""
    return JsonResponse({"status": "ok"})


_migrations_applied = False  # once true in a process it stays true: migrations are not unapplied under a running app


def _migrations_pending() -> bool:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        _migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return not _migrations_applied


@transaction.non_atomic_requests
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when this process can serve: the database answers with every migration applied, and the
    job queue answers, and the shared cache (where sessions' throttles count) answers. 503, naming what is not
    ready, otherwise."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "migrations pending" if _migrations_pending() else "ok"
    except Exception:  # any database failure means "not ready", never a 500 page
        checks["database"] = "unreachable"
    try:  # the job queue (Procrastinate's table): workers take their jobs there
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'")
            cursor.fetchone()
        checks["jobs"] = "ok"
    except Exception:
        checks["jobs"] = "unreachable"
    try:
        cache.set("vigil:readyz", "1", 10)
        checks["cache"] = "ok" if cache.get("vigil:readyz") == "1" else "not answering"
    except Exception:
        checks["cache"] = "unreachable"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)


def server_error(request: HttpRequest):
    """handler500: a database outage met where no middleware could catch it is a
    503 with Retry-After (core.middleware.unavailable); anything else Django's 500."""
    from core.middleware import DATABASE_ERRORS, unavailable

    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return unavailable(request)
    return django_server_error(request)
