"""Importing an organisation's spreadsheets: check (dry run), commit in chunks, undo.

``import_check`` reads the whole file through its mapping and classifies every
row without writing anything but the batch itself: create, update (which
fields change), link to an existing person (the match and its reasons), skip
(empty, the same as an earlier row) or error (every error of the row, field by
field). ``import_commit`` then writes the rows through the same classification,
chunk by chunk, each chunk one transaction recorded by history under channel
``import``; a row that fails is rejected whole. ``import_undo`` sends what a
batch created to the bin and puts back what it changed.

The file is streamed: memory holds one chunk of rows; what each earlier row
leaves (a 16-byte digest, to spot repeated rows, and the keys of the people it
names, to link a person's later rows to the first) is kept on disk
(exchange/imports/memory.py), so memory does not grow with the file.
"""

from exchange.imports.check import (
    import_check,
    import_dry_run,
    import_upload,
    mapping_save,
    preview_rows,
    rejected_rows_csv,
)
from exchange.imports.classify import classify
from exchange.imports.commit import import_commit, import_enqueue
from exchange.imports.common import ACTIONS, CREATE, ERROR, LINK, PERMISSION, SKIP, UPDATE, Context, Outcome
from exchange.imports.undo import import_redo, import_undo

__all__ = [
    "ACTIONS",
    "CREATE",
    "ERROR",
    "LINK",
    "PERMISSION",
    "SKIP",
    "UPDATE",
    "Context",
    "Outcome",
    "classify",
    "import_check",
    "import_commit",
    "import_dry_run",
    "import_enqueue",
    "import_redo",
    "import_undo",
    "import_upload",
    "mapping_save",
    "preview_rows",
    "rejected_rows_csv",
]
