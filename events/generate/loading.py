"""Rows into PostgreSQL with COPY, in chunks, with a progress line."""

from __future__ import annotations

import datetime
import io
import sys
import time
from collections.abc import Iterable

from django.db import connection, models


class Progress:
    """A one-line progress bar with an estimate of the time left, on stderr."""

    def __init__(self, label: str, total: int, out=sys.stderr):
        self.label, self.total, self.out = label, max(total, 1), out
        self.done, self.started, self.shown = 0, time.monotonic(), 0.0

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.shown < 0.5 and self.done < self.total:
            return
        self.shown = now
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed else 0
        left = (self.total - self.done) / rate if rate else 0
        filled = int(30 * min(self.done, self.total) / self.total)
        self.out.write(
            f"\r{self.label:<22} [{'#' * filled}{'.' * (30 - filled)}] {self.done:>11,}/{self.total:,}"
            f"  {rate:,.0f}/s  ~{left:,.0f}s left "
        )
        self.out.flush()

    def finish(self) -> float:
        elapsed = time.monotonic() - self.started
        self.out.write(f"\r{self.label:<22} {self.done:>11,} rows in {elapsed:,.1f}s{' ' * 40}\n")
        self.out.flush()
        return elapsed


def _csv_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list):
        return "{" + ",".join('"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in value) + "}"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Loader:
    """COPY rows (dicts of column → value) into a model's table, filling the other columns with their defaults."""

    CHUNK = 20_000

    def __init__(self, model: type[models.Model], now: datetime.datetime):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for field in self.fields:
            if field.name in {"created_at", "updated_at"}:
                self.defaults[field.column] = now
            elif field.has_default():
                self.defaults[field.column] = field.get_default()
            elif field.null:
                self.defaults[field.column] = None
            else:
                self.defaults[field.column] = ""

    def load(self, rows: Iterable[dict], progress: Progress) -> int:
        table, count = self.model._meta.db_table, 0
        buffer, pending = io.StringIO(), 0
        with connection.cursor() as cursor:
            for row in rows:
                if pending == 0 and count == 0:
                    # Rows without an id take the table's own sequence.
                    self.columns = [f.column for f in self.fields if not (f.primary_key and f.attname not in row)]
                full = {**self.defaults, **row}
                buffer.write("\t".join(_csv_value(full[column]) for column in self.columns))
                buffer.write("\n")
                pending += 1
                if pending == self.CHUNK:
                    count += self._flush(cursor, table, buffer, pending, progress)
                    buffer, pending = io.StringIO(), 0
            if pending:
                count += self._flush(cursor, table, buffer, pending, progress)
        return count

    def _flush(self, cursor, table, buffer, pending, progress) -> int:
        buffer.seek(0)
        columns = ", ".join(f'"{column}"' for column in self.columns)
        sql = f'COPY "{table}" ({columns}) FROM STDIN'
        if hasattr(cursor, "copy"):  # psycopg 3 (Django's driver when it is installed: Procrastinate needs it)
            with cursor.copy(sql) as copy:
                copy.write(buffer.getvalue())
        else:  # psycopg 2
            cursor.copy_expert(sql, buffer)
        progress.advance(pending)
        return pending
