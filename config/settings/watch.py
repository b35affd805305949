"""Vigil acts (watch/, docs/watch.md): e-mail, quiet hours, alerts, webhooks, retention, jobs."""

from __future__ import annotations

import os
import re

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import DEBUG, env_int

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
