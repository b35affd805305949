"""The REST API (/api/v1/): authentication, permissions, throttles, tokens, the schema."""

from __future__ import annotations

import datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from config.settings.base import env_int, env_rate

# ---------------------------------------------------------------- REST API (/api/v1/)
# Token and session authentication, never anonymous; model permissions for every
# read and write; rows limited by visible_to(user) in each viewset (core/api/).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous call gets 401 with "WWW-Authenticate: Token".
        "core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "core.api.permissions.ModelPermissions",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.NumberedPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.VigilJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.VigilAutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.vigil_exception_handler",
    # Counted per user in the shared cache (CACHES); beyond the rate: 429 with
    # Retry-After. No rate for anonymous callers: they get 401 before any count,
    # except at the token endpoint, which has its own rate per address.
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_rate("API_USER_THROTTLE", "2000/hour"),
        "auth-token": env_rate("API_TOKEN_THROTTLE", "20/minute"),  # the token endpoint (core.api.views)
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# API tokens (django-rest-knox, core.models.ApiToken): stored as SHA-512 digests,
# expiring after API_TOKEN_DAYS, at most TOKEN_LIMIT_PER_USER live ones a user.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured(f"API_TOKEN_DAYS={API_TOKEN_DAYS}: a token must live at least a day.")
KNOX_TOKEN_MODEL = "core.ApiToken"  # noqa: S105 (a model, not a secret)
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=API_TOKEN_DAYS),
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
# Bodies over this size are refused with 413 (core.api.middleware).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024)
SPECTACULAR_SETTINGS = {
    # Lazy: /api/schema/ is written per request, in the reader's language (Accept-Language, their account).
    "TITLE": gettext_lazy("Vigil API"),
    "DESCRIPTION": gettext_lazy(
        "Cases of people in detention: people, requests, governments' positions, "
        "events and sources. Authenticate with `Authorization: Token <key>` (see docs/api.md)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The interactive docs load their assets from this app, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DatePrecision": "core.dates.DatePrecision",
        "PersonStatus": "people.models.PersonStatus",
        "CaseStatus": "casework.models.CaseStatus",
        "RequestStatus": "casework.models.RequestStatus",
        "InterventionStatus": "casework.models.InterventionStatus",
        "GovernmentKind": "casework.models.GovernmentKind",
        "InterventionKind": "casework.models.InterventionKind",
        "IdentifierKind": "people.models.IdentifierKind",
        "NameKind": "people.models.NameKind",
        "SourceKind": "events.models.SourceKind",
        "EventKind": "events.models.EventKind",
        "TranslationKind": "core.models.TranslationKind",
        "Confidence": "events.models.Confidence",
        "SubjectRole": "casework.models.SubjectRole",
        "GovernmentRole": "casework.models.GovernmentRole",
        "Country": "django_countries.countries",
        "Stance": "casework.models.Stance",
        "Channel": "core.history.Channel",
        "RequestChannel": "casework.models.RequestChannel",
    },
}
# ---------------------------------------------------------------- end of REST API
