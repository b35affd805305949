"""Imports and exports as jobs (Procrastinate, watch/jobs.py): the request that asks
for them returns at once, a worker writes them, their page shows how far they are."""

from __future__ import annotations

from procrastinate.contrib.django import app

from watch.jobs import RETRY


@app.task(name="exchange.run_export", queue="exchange", retry=RETRY)
def run_export(prepared_id: int) -> int:
    from exchange import exports
    from exchange.models import PreparedExport

    def progress(rows: int) -> None:
        PreparedExport.objects.filter(pk=prepared_id).update(rows=rows)

    return exports.export_run(prepared_id, progress=progress)


@app.task(name="exchange.run_import", queue="exchange", lock="exchange.run_import", retry=RETRY)
def run_import(batch_id: int, user_id: int) -> int:
    """Commit a checked batch, chunk by chunk (resumable: a retry goes on after the last chunk)."""
    from django.contrib.auth import get_user_model

    from exchange import imports
    from exchange.models import BatchState, ImportBatch

    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.state in (BatchState.COMMITTED, BatchState.UNDONE):
        return batch.rows_done
    user = get_user_model().objects.get(pk=user_id)
    return imports.import_commit(batch=batch, user=user).rows_done
