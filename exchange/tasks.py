"""Imports and exports as jobs (Procrastinate, watch/jobs.py), each with its progress in
core.background: the request that asks for them returns at once, a worker writes them,
their owner follows them on "My background work" (/watch/work/)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from procrastinate.contrib.django import app

from core.background import work_running
from core.phrases import phrase, register
from watch.jobs import RETRY

register(
    {
        "export-done": ngettext_lazy(
            "%(rows)s row exported: a download that expires", "%(rows)s rows exported: a download that expires", "rows"
        ),
        "import-done": _("Imported: %(counts)s"),
    }
)


@app.task(name="exchange.run_export", queue="exchange", retry=RETRY)
def run_export(work_id: int, prepared_id: int) -> int:
    from exchange import exports

    with work_running(work_id) as progress:
        rows = exports.export_run(
            prepared_id, progress=lambda done: progress.report(done, message=phrase("work-rows-written", done=done))
        )
        progress.report(rows, total=rows)
        progress.finish(message=phrase("export-done", rows=rows), result_url=reverse("export"))
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
            batch=batch,
            user=user,
            progress=lambda done: progress.report(done, total=total, message=phrase("work-rows-written", done=done)),
        )
        from exchange.phrases import counts

        progress.finish(message=phrase("import-done", counts=counts(batch.counts)), result_url=batch.get_absolute_url())
    return batch.rows_done
