"""The web dashboard: sign-in, e-mail for password resets, the home page's figures."""

from __future__ import annotations

import os

from config.settings.base import DEBUG, env_bool, env_int

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
