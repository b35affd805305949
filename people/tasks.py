"""The people jobs (Procrastinate, found by its Django integration).

duplicate_pass   when a data manager starts it   the full duplicate pass
                 (people/duplicates.py), its progress on "My background work"
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from core.background import work_running
from core.phrases import number, phrase, register

register(
    {
        "pass-progress": _("%(done)s of %(total)s pairs scored, %(queued)s worth a review"),
        "pass-done": _("%(pairs)s pairs sharing a key scored, %(queued)s queued for review"),
    }
)


@app.task(
    name="people.duplicate_pass",
    lock="people.duplicate_pass",  # two passes at once would score the same pairs twice
    retry=RetryStrategy(max_attempts=3, exponential_wait=30),  # idempotent: pairs are upserted
)
def duplicate_pass(work_id: int) -> str:
    from django.db import connection
    from django.urls import reverse

    from people.duplicate_pass import duplicate_pass as run

    def report(done: int, total: int, queued: int) -> None:
        progress.report(
            done,
            total=total,
            message=phrase("pass-progress", done=number(done), total=number(total), queued=number(queued)),
        )

    with work_running(work_id) as progress:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")  # one long GROUP BY over every key, on purpose
        try:
            counts = run(progress=report)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
        summary = f"{counts['pairs']:,} pairs sharing a key scored, {counts['queued']:,} queued for review"
        progress.report(counts["pairs"], total=counts["pairs"])
        said = phrase("pass-done", pairs=number(counts["pairs"]), queued=number(counts["queued"]))
        progress.finish(message=said, result_url=reverse("duplicate_queue"))
    return summary
