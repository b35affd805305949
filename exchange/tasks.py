"""Imports and exports as jobs (Procrastinate, watch/jobs.py), each with its progress in
core.background: the request that asks for them returns at once, a worker writes them,
their owner follows them on "My background work" (/watch/work/)."""

from __future__ import annotations

from django.urls import reverse
from procrastinate.contrib.django import app

from core.background import work_running
from watch.jobs import RETRY


@app.task(name="exchange.run_export", queue="exchange", retry=RETRY)
def run_export(work_id: int, prepared_id: int) -> int:
    from exchange import exports

    with work_running(work_id) as progress:
        rows = exports.export_run(
            prepared_id, progress=lambda done: progress.report(done, message=f"{done} rows written")
        )
        progress.report(rows, total=rows)
        progress.finish(message=f"{rows} rows exported: a download that expires", result_url=reverse("export"))
    return rows


@app.task(name="exchange.run_import", queue="exchange", lock="exchange.run_import", retry=RETRY)
def run_import(work_id: int, batch_id: int, user_id: int) -> int:
    """Commit a checked batch, chunk by chunk (resumable: a retry goes on after the last chunk)."""
    from django.contrib.auth import get_user_model

    from exchange import imports
    from exchange.models import ImportBatch

    with work_running(work_id) as progress:
        batch = ImportBatch.objects.get(pk=batch_id)
        total = batch.dry_run_counts.get("rows")
        user = get_user_model().objects.get(pk=user_id)
        batch = imports.import_commit(
            batch=batch, user=user, progress=lambda done: progress.report(done, total=total, message=f"{done} rows")
        )
        counts = ", ".join(f"{n} {action}" for action, n in batch.counts.items())
        progress.finish(message=f"Imported: {counts}", result_url=batch.get_absolute_url())
    return batch.rows_done
