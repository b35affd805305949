"""Errors as JSON, never a 500 for bad input.

DRF already answers malformed JSON (400), validation errors (400, field by
field), unauthenticated (401), forbidden (403) and not found (404). Added here:
a model's or a service's ValidationError is a 400 like a serializer's,
deleting a record others still point to is a 409 that says what holds it, and
a write that lost a race after its If-Match check is a 412 (core/api/preconditions.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.api.preconditions import PreconditionFailed
from core.api.serializers import drf_error
from core.models import RecordChanged


def vigil_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = drf_error(exc)
    if isinstance(exc, RecordChanged):  # changed between the If-Match check and the write
        exc = PreconditionFailed()
    if isinstance(exc, ProtectedError | RestrictedError):
        blockers = sorted({str(obj._meta.verbose_name) for obj in exc.args[1]})
        return Response(
            {
                "detail": gettext("Still referred to by: %(blockers)s. Remove or re-link those first.")
                % {"blockers": ", ".join(blockers)}
            },
            status=status.HTTP_409_CONFLICT,
        )
    return exception_handler(exc, context)


@csrf_exempt  # it changes nothing; without this a PUT to an unknown path got CSRF's HTML 403
def api_not_found(request, *args, **kwargs):
    """Any /api/v1/ path that names no endpoint: a JSON 404, like every other API answer."""
    return JsonResponse({"detail": gettext("Not found.")}, status=404)
