"""Vigil's one settings module.

Every value comes from an environment variable (listed, with its meaning, in
.env.example and the README). Development defaults are safe on a laptop; with
DEBUG off there is no insecure default: a missing SECRET_KEY or ALLOWED_HOSTS
stops the app at start instead of running exposed. A malformed value (say
DEBUG=maybe) stops it too, naming the variable.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_rate(name: str, default: str) -> str:
    """A request rate as DRF's throttles read it: ``2000/hour`` (per second, minute, hour or day)."""
    raw = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"[0-9]+/(second|minute|hour|day|s|m|h|d)", raw):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a rate: write e.g. 2000/hour or 20/minute.")
    return raw


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (e.g. 50 random characters).")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "development-only-key-never-used-in-production-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names Vigil answers to when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies of ours stand in front of Vigil, each appending the
# address it was connected from to X-Forwarded-For: the client is the hop this
# many places from the right (core/client_ip.py). 0: REMOTE_ADDR, headers ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_TLS_PROXY", False) else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} cannot be negative.")

if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. `make run` and `make test` start an embedded PostgreSQL for you; "
        "otherwise set DATABASE_URL=postgres://user:password@host:5432/vigil."
    )
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"],
        # Persistent connections, checked before reuse, so a restarted database
        # does not leave workers holding dead connections.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# No query may run longer than this (seconds; 0: no limit): a runaway query ends
# with an error instead of holding a worker and the database. Long maintenance
# (migrate on a large database, generate_data) sets it to 0.
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 30)
# JIT off: PostgreSQL's JIT compiler pays off for long analytic queries, not for
# a web page's; at a million cases it spent seconds compiling millisecond queries.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c jit=off -c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}"
)
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Vigil runs on PostgreSQL only: DATABASE_URL must start with postgres://.")
DATABASES["default"]["ATOMIC_REQUESTS"] = True  # each request is one transaction: nothing half-written
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("DATABASE_TEST_NAME") or None}

# The cache is shared by every process (the API's throttles count in it):
# Redis when REDIS_URL is set (redis://host:6379/0), otherwise a table in
# PostgreSQL, created by core's migration 0001. Without Redis the counts are
# written in each request's transaction (ATOMIC_REQUESTS): a request that fails
# is rolled back uncounted, and one user's simultaneous requests wait for each
# other. Fine for a small team; production should set REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "vigil_cache",
            # Culling past the default 300 entries would forget throttle counts.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

INSTALLED_APPS = [
    "core.admin_site.VigilAdminConfig",  # django.contrib.admin, with the index grouped (core/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "people",
    "casework",
    "events",
    "procrastinate.contrib.django",
    "watch",
    "evidence",
    "exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the path or the query: a NUL byte in either is a 400.
    "core.middleware.RejectNulMiddleware",
    # A token-authenticated API request leaves here for API_TOKEN_MIDDLEWARE (core/api/lean.py).
    "core.api.lean.TokenApiPathMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.api.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Reads the user first: a database outage is a 503 with Retry-After, not a 500.
    "core.middleware.DatabaseUnavailableMiddleware",
    # The user's language and time zone for this request (core/locale.py).
    "core.locale.UserLocaleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: history rows name the user and the channel.
    "core.history.HistoryChannelMiddleware",
    "core.middleware.SessionAbsoluteTimeoutMiddleware",
    "core.middleware.NoStoreMiddleware",
    "core.middleware.RecordChangedMiddleware",
    # Logs the restricted cases each successful response showed (core/shown.py).
    "core.middleware.ViewLogMiddleware",
    # Last, as django-axes asks: turns a lockout into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "watch.context_processors.unread_notifications",
                "core.locale.locale_context",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading a user's permissions in one query (core/backends.py).
    "core.backends.VigilModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface's languages. A user's own choice (account page, header switcher)
# wins, then the browser's Accept-Language, then VIGIL_LANGUAGE; URLs never
# change with the language (core/locale.py). Adding a language is one catalogue
# (locale/<code>/LC_MESSAGES/django.po) and one line here: docs/languages.md.
LANGUAGES = [
    ("en", "English"),
    ("ko", "한국어"),
    ("uk", "Українська"),
    ("ru", "Русский"),
]
LANGUAGE_CODE = os.environ.get("VIGIL_LANGUAGE", "en").strip() or "en"
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"VIGIL_LANGUAGE={LANGUAGE_CODE!r}: use one of {', '.join(dict(LANGUAGES))}.")
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates day first (config/formats/en); the other languages use Django's own formats.
FORMAT_MODULE_PATH = ["config.formats"]
# The site's time zone: the clock of a user who chose none (account page) and of
# the server's own jobs. Each request runs in its user's zone (core/locale.py).
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a time zone: write e.g. Europe/Kyiv or UTC.") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Development and tests serve static files straight from the apps; production
# from STATIC_ROOT, filled by collectstatic (see Dockerfile).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/admin/login/"

# History: every insert, update and delete of every tracked model, by trigger,
# in append-only event tables (see core/history.py).
PGHISTORY_APPEND_ONLY = True
PGHISTORY_DEFAULT_TRACKERS = None  # each model names its trackers through core.history.track

# Login lockout (django-axes): 5 failures for a username, or from an address,
# lock it for the cool-off period. Every login, logout and failure is logged.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Who the client is behind reverse proxies: one function (core/client_ip.py) for
# the lockout, the sign-in logs, the API throttles and the view log.
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_VERBOSE = False

# Two-factor sign-in (django-otp): required for superusers and data managers.
REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", True)
OTP_TOTP_ISSUER = "Vigil"

# Sessions: an idle timeout (each request extends it) and an absolute one.
SESSION_COOKIE_AGE = 60 * env_int("SESSION_IDLE_MINUTES", 30)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = 3600 * env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content Security Policy (django-csp): nothing inline may run, nothing from
# another origin loads, no one may frame Vigil.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Production hardening, on whenever DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

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

# ---------------------------------------------------------------- dashboard
# The web dashboard (dashboard/views/ and each app's views/, templates/, docs/dashboard.md): sign-in,
# e-mail for password resets, and what "stalled" means on the home page.
LOGIN_URL = "login"  # replaces the admin login above: every dashboard page asks here
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# E-mails (notifications, digests, password resets): kept in the local outbox in
# development (see EMAIL_URL below), sent over SMTP in production (EMAIL_HOST and friends).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Vigil <vigil@localhost>")

# A request is "stalled" on the home page when its status is stalled or nothing
# has moved on it for this many days.
VIGIL_STALLED_AFTER_DAYS = env_int("VIGIL_STALLED_AFTER_DAYS", 30)
# The home page's figures and lists (counts, stalled requests, positions, latest
# events) read across every visible case: each user's are kept this many seconds
# in the cache (0: computed on every visit). The page says how old they are.
VIGIL_HOME_CACHE_SECONDS = env_int("VIGIL_HOME_CACHE_SECONDS", 60)
# Each of the home page's lists may take this many seconds to work out (its
# figures are read from counters the database keeps); one that takes longer is left out and the page says so (core/budget.py).
VIGIL_HOME_SECTION_SECONDS = env_int("VIGIL_HOME_SECTION_SECONDS", 3)
# ------------------------------------------------------------ end dashboard

# ---------------------------------------------------------------- operations
# Logs, metrics, health, secret-key rotation and read replicas (docs/deploy.md, docs/scaling.md).

# Rotating SECRET_KEY without signing everyone out: put the old key here (comma-separated), the new one in
# SECRET_KEY; sessions and tokens signed with an old key stay valid until they expire. Remove it after that.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

# Logs: one JSON object per line (json, the default without DEBUG) or plain text (with DEBUG), every line with
# the request's id (core/observability.py). Never a query string, a request body or a secret.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not a log format: use json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.observability.RequestIdFilter"},
        "redact": {"()": "core.observability.RedactFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id", "redact"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Procrastinate says at INFO every task and schedule it registers, in every process.
    "loggers": {"procrastinate": {"level": os.environ.get("JOB_LOG_LEVEL", "WARNING")}},
}

# Metrics for Prometheus (django-prometheus) at /metrics: requests, latencies, responses by status, exceptions.
# Closed unless a scraper holds METRICS_TOKEN (Authorization: Bearer …) or calls from METRICS_ALLOWED_IPS.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])
INSTALLED_APPS.append("django_prometheus")
MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
MIDDLEWARE.insert(1, "core.observability.RequestIdMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "django_prometheus.middleware.PrometheusAfterMiddleware"
)
SECURE_REDIRECT_EXEMPT += [r"^readyz$", r"^metrics$"]  # probed and scraped over the private network

# A streaming read replica (docs/scaling.md): the API's lists and searches and the dashboard's read pages read
# case data there (core/replica.py); a user who wrote reads the primary for DATABASE_READ_YOUR_WRITES_SECONDS;
# a replica that fails is skipped for DATABASE_REPLICA_RETRY_SECONDS. Unset: everything on DATABASE_URL.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
DATABASE_READ_YOUR_WRITES_SECONDS = env_int("DATABASE_READ_YOUR_WRITES_SECONDS", 10)
DATABASE_REPLICA_RETRY_SECONDS = env_int("DATABASE_REPLICA_RETRY_SECONDS", 30)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    # The primary's options (statement timeout, no JIT), and a short wait for a replica that does not answer.
    DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"]["OPTIONS"], "connect_timeout": 3}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("core.two_factor.RequireTwoFactorMiddleware") + 1, "core.replica.ReplicaMiddleware"
    )

# The token API's lean stack (core/api/lean.py): what follows TokenApiPathMiddleware above, less
# what only a browser needs (sessions, CSRF, session authentication, the second-factor redirect,
# messages, the session timeout, the lockout page, static files). docs/scaling.md: what each costs.
_BROWSER_ONLY = {
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.SessionAbsoluteTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",
}
API_TOKEN_MIDDLEWARE = [
    path
    for path in MIDDLEWARE[MIDDLEWARE.index("core.api.lean.TokenApiPathMiddleware") + 1 :]
    if path not in _BROWSER_ONLY
]

# `manage.py doctor` (docs/deploy.md): where the scheduled backups land, and how old the newest may be.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", "").strip() or BASE_DIR / "backups")
BACKUP_MAX_AGE_HOURS = env_int("BACKUP_MAX_AGE_HOURS", 26)
# ------------------------------------------------------------ end of operations

# ---------------------------------------------------------------- Vigil acts (watch/, docs/watch.md)
# E-mail: EMAIL_URL, when set, says it all at once (smtp://user:password@host:587,
# smtps://... for TLS on connect, smtp+plain://... for none, outbox: for the
# development outbox); otherwise the EMAIL_* variables above. With DEBUG on and
# nothing set, every e-mail (notifications, password resets) goes to the local
# outbox the dashboard shows (watch.mail.OutboxBackend): no external service.
EMAIL_URL = os.environ.get("EMAIL_URL", "").strip()
if EMAIL_URL:
    from urllib.parse import unquote, urlsplit

    _email = urlsplit(EMAIL_URL)
    if _email.scheme == "outbox":
        EMAIL_BACKEND = "watch.mail.OutboxBackend"
    elif _email.scheme in {"smtp", "smtps", "smtp+plain"}:
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        try:
            EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 587)
        except ValueError:
            raise ImproperlyConfigured(f"EMAIL_URL={EMAIL_URL!r} has a malformed port.") from None
        EMAIL_HOST = _email.hostname or "localhost"
        EMAIL_HOST_USER = unquote(_email.username or "")
        EMAIL_HOST_PASSWORD = unquote(_email.password or "")
        EMAIL_USE_TLS = _email.scheme == "smtp"
        EMAIL_USE_SSL = _email.scheme == "smtps"
    else:
        raise ImproperlyConfigured(f"EMAIL_URL={EMAIL_URL!r}: use smtp://, smtps://, smtp+plain:// or outbox:.")
elif DEBUG and "EMAIL_BACKEND" not in os.environ:
    EMAIL_BACKEND = "watch.mail.OutboxBackend"
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# The address links in e-mails and webhooks point to (no trailing slash).
VIGIL_BASE_URL = os.environ.get("VIGIL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Quiet hours (VIGIL_TIME_ZONE's clock, TIME_ZONE) are each user's; this is the
# default for a user who set none: "22:00-07:00", or empty for none.
VIGIL_QUIET_HOURS = os.environ.get("VIGIL_QUIET_HOURS", "").strip()
if VIGIL_QUIET_HOURS and not re.fullmatch(r"[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]", VIGIL_QUIET_HOURS):
    raise ImproperlyConfigured(f"VIGIL_QUIET_HOURS={VIGIL_QUIET_HOURS!r}: write e.g. 22:00-07:00.")
# A forced-return alert nobody acknowledged escalates after this many minutes:
# first to the data managers again, then (as long again) to every holder of
# casework.view_all_cases.
VIGIL_ALERT_ESCALATE_MINUTES = env_int("VIGIL_ALERT_ESCALATE_MINUTES", 60)
# A webhook endpoint is disabled after this many deliveries in a row that failed
# every retry; the data managers are told.
VIGIL_WEBHOOK_MAX_FAILURES = env_int("VIGIL_WEBHOOK_MAX_FAILURES", 5)
# A webhook receiver should refuse a signature older than this many seconds (the
# replay window: docs/watch.md); Vigil states it in each delivery's headers.
VIGIL_WEBHOOK_TOLERANCE_SECONDS = env_int("VIGIL_WEBHOOK_TOLERANCE_SECONDS", 300)
# Retention (docs/watch.md): the periodic job watch.prune deletes, in batches,
# what is older than this many days: the change log behind the change feed and
# webhooks (a partner whose cursor is older gets 410 Gone and resyncs; a change
# Vigil's own readers have not processed is never deleted), notifications
# (not while their e-mail waits), and the delivery logs (webhook deliveries, job
# failures, the development outbox, finished background work).
VIGIL_CHANGE_LOG_RETENTION_DAYS = env_int("VIGIL_CHANGE_LOG_RETENTION_DAYS", 90)
VIGIL_NOTIFICATION_RETENTION_DAYS = env_int("VIGIL_NOTIFICATION_RETENTION_DAYS", 365)
VIGIL_DELIVERY_LOG_RETENTION_DAYS = env_int("VIGIL_DELIVERY_LOG_RETENTION_DAYS", 90)
for _name in (
    "VIGIL_CHANGE_LOG_RETENTION_DAYS",
    "VIGIL_NOTIFICATION_RETENTION_DAYS",
    "VIGIL_DELIVERY_LOG_RETENTION_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name}={globals()[_name]}: keep at least one day.")
# Jobs (Procrastinate, on this PostgreSQL): tasks live in each app's tasks.py;
# every job's failure is recorded with its error for the data managers (admin,
# Job failures).
PROCRASTINATE_ON_APP_READY = "watch.jobs.on_app_ready"
# ------------------------------------------------------------ end Vigil acts
# ---------------------------------------------------------------- evidence files
# Evidence files (evidence/, docs/evidence.md): bytes kept once by SHA-256 in the
# "evidence" storage, never served as static files (every download goes through
# the access check). A folder under .data/ by default; any S3-compatible object
# store (django-storages) when EVIDENCE_S3_BUCKET is set.
EVIDENCE_DIR = Path(os.environ.get("EVIDENCE_DIR", "").strip() or BASE_DIR / ".data" / "evidence")
EVIDENCE_S3_BUCKET = os.environ.get("EVIDENCE_S3_BUCKET", "").strip()
if EVIDENCE_S3_BUCKET:
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            # Empty: AWS itself; otherwise the store's address (MinIO, Ceph, another cloud's S3).
            "endpoint_url": os.environ.get("EVIDENCE_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("EVIDENCE_S3_REGION", "").strip() or None,
            # Empty: boto3's own chain (instance role, ~/.aws, AWS_* variables).
            "access_key": os.environ.get("EVIDENCE_S3_ACCESS_KEY_ID", "").strip() or None,
            "secret_key": os.environ.get("EVIDENCE_S3_SECRET_ACCESS_KEY", "").strip() or None,
            "default_acl": None,  # private: the bucket's own policy
            "querystring_auth": True,
            "file_overwrite": True,  # names are SHA-256: the same name is the same bytes
        },
    }
else:
    STORAGES["evidence"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(EVIDENCE_DIR), "base_url": None, "file_permissions_mode": 0o440},
    }
# Chunks of resumable API uploads wait here until the last one arrives (a shared
# volume when several app hosts take uploads).
EVIDENCE_UPLOAD_DIR = Path(os.environ.get("EVIDENCE_UPLOAD_DIR", "").strip() or BASE_DIR / ".data" / "uploads")
# A file larger than this is refused, with a message saying so (200 MB).
EVIDENCE_MAX_FILE_BYTES = env_int("EVIDENCE_MAX_FILE_BYTES", 200 * 1000 * 1000)
# One chunk of a resumable upload (API) may be at most this large.
EVIDENCE_CHUNK_MAX_BYTES = env_int("EVIDENCE_CHUNK_MAX_BYTES", 8 * 1024 * 1024)
# The types (detected from the content, never the name) Vigil accepts.
EVIDENCE_DEFAULT_TYPES = [
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/heic",
    "application/pdf", "text/plain",
    "audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav", "audio/flac",
    "video/mp4", "video/quicktime", "video/webm", "video/x-matroska",
]  # fmt: skip
EVIDENCE_ALLOWED_TYPES = env_list("EVIDENCE_ALLOWED_TYPES", []) or EVIDENCE_DEFAULT_TYPES
# Custody manifests are signed with this Ed25519 private key (base64 of its 32
# raw bytes; `manage.py evidence_key --new` makes one). Without it, development
# (DEBUG) derives one from SECRET_KEY; production refuses to sign.
EVIDENCE_SIGNING_KEY = os.environ.get("EVIDENCE_SIGNING_KEY", "").strip()
# The API's upload routes take bodies up to a file's (or a chunk's) size, not API_MAX_BODY_BYTES.
API_LARGE_BODY_PATHS = {
    "/api/v1/files/": EVIDENCE_MAX_FILE_BYTES + 1024 * 1024,
    "/api/v1/uploads/": EVIDENCE_CHUNK_MAX_BYTES + 64 * 1024,
}
# ------------------------------------------------------------ end evidence files
# ---------------------------------------------------------------- records in and out
# Imports, duplicate people and export profiles (exchange/, people/duplicates.py, docs/exchange.md).
# Uploaded import files and prepared export downloads are kept here (never served as static files).
MEDIA_ROOT = Path(os.environ.get("VIGIL_FILES_DIR", BASE_DIR / ".data" / "files"))
# An import file larger than this is refused before it is read (the dashboard, the API and the command).
VIGIL_IMPORT_MAX_BYTES = env_int("VIGIL_IMPORT_MAX_BYTES", 25 * 1024 * 1024)
# Rows committed per transaction: a failure keeps the chunks before it, and the batch resumes after them.
VIGIL_IMPORT_CHUNK_ROWS = env_int("VIGIL_IMPORT_CHUNK_ROWS", 500)
# The duplicate pass leaves out a name key shared by more people than this ("Kim"): no evidence alone.
VIGIL_DUPLICATE_KEY_CAP = env_int("VIGIL_DUPLICATE_KEY_CAP", 50)
# The public export shows a count below this as "fewer than N".
VIGIL_EXPORT_SMALL_COUNT = env_int("VIGIL_EXPORT_SMALL_COUNT", 5)
# A full export waits for a second data manager's approval.
VIGIL_EXPORT_FULL_NEEDS_APPROVAL = env_bool("VIGIL_EXPORT_FULL_NEEDS_APPROVAL", False)
# A prepared export can be downloaded for this many hours.
VIGIL_EXPORT_DOWNLOAD_HOURS = env_int("VIGIL_EXPORT_DOWNLOAD_HOURS", 24)
# ------------------------------------------------------------ end records in and out
