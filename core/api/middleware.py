"""Refuse API request bodies over ``API_MAX_BODY_BYTES`` with 413, before reading them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse


def body_limit(path: str) -> int:
    """The largest body ``path`` accepts: ``API_MAX_BODY_BYTES``, or more on an
    upload route (``API_LARGE_BODY_PATHS``: a route and the chunks under it)."""
    for prefix, limit in getattr(settings, "API_LARGE_BODY_PATHS", {}).items():
        if path == prefix or (path.startswith(prefix) and path.endswith("/chunks/")):
            return limit
    return settings.API_MAX_BODY_BYTES


def _too_large(path: str) -> JsonResponse:
    limit = body_limit(path)
    return JsonResponse(
        {"detail": f"Request body too large: the API accepts at most {limit} bytes."},
        status=413,
    )


class RequestSizeLimitMiddleware:
    """413 for an API body declared larger than the limit.

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE raises RequestDataTooBig, which it
    answers with a 400 and which DRF's JSON parser does not even trigger (it
    streams the body); checking Content-Length here answers 413 for every parser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > body_limit(request.path):
                return _too_large(request.path)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/api/") and isinstance(exception, RequestDataTooBig):
            return _too_large(request.path)
        return None
