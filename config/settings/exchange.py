"""Records in and out (exchange/, docs/exchange.md): imports, duplicates, exports."""

from __future__ import annotations

import os
from pathlib import Path

from config.settings.base import BASE_DIR, env_bool, env_int

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
