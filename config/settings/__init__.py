"""Vigil's one settings module (``config.settings``), read in sections.

Every value comes from an environment variable (listed, with its meaning, in
.env.example and the README). Development defaults are safe on a laptop; with
DEBUG off there is no insecure default: a missing SECRET_KEY or ALLOWED_HOSTS
stops the app at start instead of running exposed. A malformed value (say
DEBUG=maybe) stops it too, naming the variable.

The sections follow in this order, each in its module, and a later one may change
what an earlier one set (operations adds middleware; watch's EMAIL_URL overrides
the dashboard's EMAIL_* values): base (Django itself, the database, sign-in,
hardening), api, dashboard, operations, watch, evidence, exchange. A new setting
goes into the section of the app that reads it; a new variable into .env.example.
"""

# The order is the sections' order: a later one may change an earlier one's values.
# isort: off
from config.settings.base import *  # noqa: F403
from config.settings.api import *  # noqa: F403
from config.settings.dashboard import *  # noqa: F403
from config.settings.operations import *  # noqa: F403
from config.settings.watch import *  # noqa: F403
from config.settings.evidence import *  # noqa: F403
from config.settings.exchange import *  # noqa: F403
