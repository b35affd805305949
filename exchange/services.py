"""The exchange's writes, in one place: every function keyword-only, ``user`` a required keyword,
each checking the user's permission itself. They are written by the runners they belong to
(exchange/imports/: upload, dry run, commit in chunks, undo; exchange/exports/: ask, approve,
download, the saved profiles), whose module docstrings say how; this module names them so a
page, the API or a command finds every write of the app where every other app keeps its own."""

from exchange.exports import (
    export_approve,
    export_full_request,
    export_request,
    export_to_file,
    prepared_download,
    profile_delete,
    profile_save,
)
from exchange.imports import (
    import_check,
    import_commit,
    import_dry_run,
    import_enqueue,
    import_redo,
    import_undo,
    import_upload,
    mapping_save,
)

__all__ = [
    "export_approve",
    "export_full_request",
    "export_request",
    "export_to_file",
    "import_check",
    "import_commit",
    "import_dry_run",
    "import_enqueue",
    "import_redo",
    "import_undo",
    "import_upload",
    "mapping_save",
    "prepared_download",
    "profile_delete",
    "profile_save",
]
