"""Views that belong to no single app."""

import sys

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as django_server_error


@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app and its database answer, 503 when the database does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500 page
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest):
    """handler500: a database outage met where no middleware could catch it is a
    503 with Retry-After (core.middleware.unavailable); anything else Django's 500."""
    from core.middleware import DATABASE_ERRORS, unavailable

    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return unavailable(request)
    return django_server_error(request)
