"""Operations: logs, metrics, read replicas, the token API's lean middleware, backups."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import (
    BASE_DIR,
    DATABASES,
    DEBUG,
    INSTALLED_APPS,
    MIDDLEWARE,
    SECURE_REDIRECT_EXEMPT,
    env_int,
    env_list,
)

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
