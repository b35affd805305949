"""Reading the change log in commit order.

Every tracked write adds a row to ``watch_change`` in its own transaction; at
commit a deferred trigger numbers the transaction's rows from a sequence while
holding a transaction-level advisory lock until the commit has ended (see
migration 0002). Numbers are therefore given in commit order, and a change
numbered N is visible before any numbered above it: a reader that resumes after
N never skips a change that committed later and never repeats one.

Why not timestamps or ids: both are taken before commit, so a transaction that
started first but commits last would land behind a reader's cursor and be
lost. Why not the transaction-id horizon (pg_snapshot_xmin): it is
cluster-wide, so any long transaction in any database of the server would hold
the feed back. The price of the lock: transactions that change tracked records
take their numbers one at a time, a few microseconds each, at commit.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from watch.models import Change, ChangeCursor


@dataclass(frozen=True)
class Position:
    seq: int = 0

    def encode(self) -> str:
        return base64.urlsafe_b64encode(f"v1:{self.seq}".encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Position:
        """The position a cursor names; ValueError when it is not one of ours."""
        if not token:
            return cls()
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            version, seq = raw.split(":")
            if version != "v1" or not seq.isascii() or not seq.isdigit():
                raise ValueError(token)
            return cls(int(seq))
        except (ValueError, UnicodeDecodeError) as error:
            raise ValueError(f"“{token}” is not a cursor from this feed.") from error


def read_after(position: Position, *, limit: int = 500, tables: list[str] | None = None) -> list[Change]:
    """The next ``limit`` committed changes after ``position``, in commit order."""
    changes = Change.objects.filter(seq__gt=position.seq)
    if tables is not None:
        changes = changes.filter(table__in=tables)
    return list(changes.order_by("seq")[:limit])


def head() -> Position:
    """The feed's newest committed change: a reader that starts here misses nothing committed later."""
    return Position(
        Change.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", flat=True).first() or 0
    )


def position_of(change: Change) -> Position:
    return Position(change.seq)


def cursor_for(name: str) -> ChangeCursor:
    """A reader's saved position, locked for this transaction (one reader at a time)."""
    ChangeCursor.objects.get_or_create(name=name)
    return ChangeCursor.objects.select_for_update().get(name=name)
