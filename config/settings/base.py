"""The settings every part of Vigil needs: how a value is read from the environment,
the database, the cache, the apps and their middleware, languages, static files,
history, sign-in, sessions and production hardening (the rest: config/settings/)."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

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

# Sessions: an idle timeout (requests extend it) and an absolute one. A request extends it
# by saving the session, at most once every SESSION_REFRESH_SECONDS
# (core.middleware.SessionAbsoluteTimeoutMiddleware): a read that changes nothing
# else writes nothing, and the idle timeout counts from a moment at most that long
# before the last request. Not SESSION_SAVE_EVERY_REQUEST: a write on every page.
SESSION_COOKIE_AGE = 60 * env_int("SESSION_IDLE_MINUTES", 30)
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
if not 0 <= SESSION_REFRESH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("SESSION_REFRESH_SECONDS must be at least 0 and less than SESSION_IDLE_MINUTES.")
# With Redis, sessions are read from it and written to both it and PostgreSQL
# (cached_db): a page reads no session row, and a Redis flush or restart signs
# no one out (the session is read again from PostgreSQL). Without Redis the
# cache is a PostgreSQL table, so a cached session would cost more queries, not fewer.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
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
