"""What a pass over a file remembers of every row before the current chunk, kept on disk.

Classifying a row asks whether an earlier row was the same (its digest) and
whether an earlier row named the same person (its identifier and name keys).
Kept in dictionaries that is ~1 KB a row: 100 MB for 100,000 rows. Here each
map is a table of a private SQLite database on disk (a temporary file, deleted
when the pass ends) with a few MB of cache, so memory stays the same whatever
the length of the file; a lookup is a few microseconds.
"""

from __future__ import annotations

import sqlite3

#: Pages SQLite may cache in memory, in KiB (negative: a size, not a count); the rest stays on disk.
CACHE_KIB = 4096


class RowMemory:
    """A map of keys to what the row that first had them said: a row number and, for
    ``pairs``, a second number (a person id, or None) — ``(row, value)``. Rows come in
    order, so what a rolled-back chunk added is what came after ``mark()``."""

    def __init__(self, *, pairs: bool = False) -> None:
        self.pairs = pairs
        self.last_row = 0
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)  # "": a temporary file
        for pragma in (f"cache_size = -{CACHE_KIB}", "journal_mode = OFF", "synchronous = OFF"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE seen (key BLOB PRIMARY KEY, row INTEGER NOT NULL, value INTEGER) WITHOUT ROWID")

    def _find(self, key):
        return self._db.execute("SELECT row, value FROM seen WHERE key = ?", (key,)).fetchone()

    def __contains__(self, key) -> bool:
        return self._find(key) is not None

    def __getitem__(self, key):
        found = self._find(key)
        if found is None:
            raise KeyError(key)
        return found if self.pairs else found[0]

    def get(self, key, default=None):
        found = self._find(key)
        return default if found is None else found if self.pairs else found[0]

    def setdefault(self, key, what) -> None:
        """Remember ``what`` for ``key`` unless an earlier row had it."""
        row, value = what if self.pairs else (what, None)
        self._db.execute("INSERT OR IGNORE INTO seen (key, row, value) VALUES (?, ?, ?)", (key, row, value))
        self.last_row = max(self.last_row, row)

    __setitem__ = setdefault  # a key is only ever set once: the first row that had it

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM seen").fetchone()[0]

    def mark(self) -> int:
        return self.last_row

    def forget_after(self, mark: int) -> None:
        """Forget what rows after ``mark`` added (their chunk was rolled back)."""
        self._db.execute("DELETE FROM seen WHERE row > ?", (mark,))
        self.last_row = mark
