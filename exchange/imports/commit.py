"""Committing a checked batch chunk by chunk, at once or by a job."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pghistory
from django.core.exceptions import ValidationError
from django.db import connection, reset_queries, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from core.history import Channel
from exchange.imports.classify import ChunkFailed, chunks, classify_chunk
from exchange.imports.common import Context, _open, _require
from exchange.imports.upkeep import import_upkeep
from exchange.imports.write import flush
from exchange.mappings import load_mapping
from exchange.models import BatchState, ImportBatch, ImportedRecord
from exchange.readers import FileProblem


def import_commit(*, batch: ImportBatch, user, progress: Callable[[int], None] | None = None) -> ImportBatch:
    """Write the batch's rows, chunk by chunk (each one transaction, history channel
    ``import``), from where it stopped. Rows with errors are rejected whole."""
    _require(user)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state in (BatchState.COMMITTED, BatchState.UNDONE) or batch.deleted_at:
            raise ValidationError(
                gettext("Batch #%(pk)s is already %(state)s.") % {"pk": batch.pk, "state": batch.get_state_display()}
            )
        if batch.state == BatchState.RUNNING and batch.created_by_id != user.pk:
            raise ValidationError(
                gettext("Batch #%(pk)s is being imported by %(who)s.") % {"pk": batch.pk, "who": batch.created_by}
            )
        ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.RUNNING, message="")
    sheet = _open(batch)
    mapping = load_mapping(batch.mapping, columns=sheet.columns)
    context = Context(user=user, batch=batch, mapping=mapping, write=True)
    counts = Counter(batch.counts)
    rows = chunks(context, sheet.rows, skip_rows=batch.rows_done)
    try:
        for chunk in rows:
            saved = context.checkpoint()
            try:  # the whole chunk under one savepoint: a row that fails to write fails it ...
                _write_chunk(context, batch, chunk, counts, row_savepoints=False)
            except ChunkFailed:  # ... and it is written again with a savepoint per row: that row gets its error
                context.restore(saved)
                _write_chunk(context, batch, chunk, counts, row_savepoints=True)
            import_upkeep()  # what autovacuum would do, were it as quick (exchange/imports/upkeep.py)
            reset_queries()  # under DEBUG Django keeps each statement's SQL: a long import would hold 9,000
            if progress:
                progress(batch.rows_done)
    except (FileProblem, Exception) as error:
        message = str(error) if isinstance(error, FileProblem) else f"{type(error).__name__}: {error}"
        ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.FAILED, message=message[:2000])
        raise
    finally:
        rows.close()
    ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.COMMITTED, committed_at=timezone.now())
    batch.refresh_from_db()
    return batch


def _write_chunk(context: Context, batch: ImportBatch, chunk: list, counts: Counter, *, row_savepoints: bool) -> None:
    """Write a chunk's rows in one transaction (history channel ``import``), with what they
    wrote and the batch's progress; ``counts`` and ``batch`` move on once it is committed."""
    context.row_savepoints = row_savepoints
    found: Counter = Counter()
    with (
        transaction.atomic(),
        pghistory.context(channel=Channel.IMPORT.value, import_batch=batch.pk, username=context.user.get_username()),
    ):
        with connection.cursor() as cursor:  # the home page's counts: recounted once, at the chunk's end
            cursor.execute("SELECT vigil_counts_defer()")  # (casework/counting_sql.py DEFERRING)
        for _row, outcome in classify_chunk(context, chunk):
            found[outcome.action] += 1
        flush(context)  # what the rows left to insert together (a failure: ChunkFailed)
        with connection.cursor() as cursor:
            cursor.execute("SELECT vigil_counts_catch_up()")
        ImportedRecord.objects.bulk_create(context.pending, batch_size=2000)
        context.pending.clear()
        total = counts.copy()
        total.update(found)
        ImportBatch.objects.filter(pk=batch.pk).update(rows_done=batch.rows_done + len(chunk), counts=dict(total))
    counts.update(found)
    batch.rows_done += len(chunk)
    batch.counts = dict(counts)


def import_enqueue(*, batch: ImportBatch, user) -> ImportBatch:
    """Commit the batch in the background: a job (``exchange.run_import``) writes it, chunk
    by chunk, and the batch's ``rows_done`` says how far it is."""
    from core.background import work_defer
    from exchange.tasks import run_import

    _require(user)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch.mapping:
            raise ValidationError(gettext("Check the file with a mapping first (the dry run)."))
        if batch.state not in (BatchState.CHECKED, BatchState.FAILED):
            raise ValidationError(
                gettext("Batch #%(pk)s is %(state)s.") % {"pk": batch.pk, "state": batch.get_state_display()}
            )
        ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.QUEUED, message="")
        rows = batch.dry_run_counts.get("rows", 0)
        title = ngettext("Import of batch #%(pk)s (%(rows)s row)", "Import of batch #%(pk)s (%(rows)s rows)", rows)
        work_defer(run_import, kind="import", title=title % {"pk": batch.pk, "rows": rows}, owner=user,
                   batch_id=batch.pk, user_id=user.pk)  # fmt: skip
    batch.refresh_from_db()
    return batch
