"""The evidence jobs (Procrastinate, found by its Django integration): the periodic
re-hash of every stored file.

    verify_files   every day at 03:00   re-hash every stored file (resuming an
                                        unfinished run); mail the data managers
                                        when bytes changed or went missing

``manage.py verify_files`` does the same work by hand, with a progress bar; a
data manager also starts it from "My background work", and every run's
progress is a ``core.models.BackgroundWork`` (core/background.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from core.background import work_running
from core.phrases import as_text, phrase, register

register(
    {
        "verify-title": _("Verify the stored evidence files' SHA-256"),
        "verify-progress": ngettext_lazy(
            "%(checked)s of %(total)s stored file re-hashed", "%(checked)s of %(total)s stored files re-hashed", "total"
        ),
        "verify-done": _("%(checked)s checked: %(changed)s changed, %(missing)s missing, %(orphans)s orphans"),
    }
)
TITLE = as_text(phrase("verify-title"))


@app.periodic(cron="0 3 * * *", periodic_id="verify_files")
@app.task(
    name="evidence.verify_files",
    lock="evidence.verify_files",  # never two runs at once: they would share the unfinished run
    queueing_lock="evidence.verify_files",
    retry=RetryStrategy(max_attempts=3, exponential_wait=60),  # a retry resumes where the failed attempt stopped
    pass_context=True,
)
def verify_files(context, timestamp: int | None = None, work_id: int | None = None) -> str:
    """Periodic (no owner: in admin, Background work) or started by a data manager (``work_id``: theirs)."""
    from django.urls import reverse

    from evidence.verification import verify_all

    def report(checked: int, total: int, blob, result: str) -> None:
        progress.report(checked, total=total, message=phrase("verify-progress", checked=checked, total=total))

    with work_running(work_id, job_id=context.job.id, kind="verify_files", title=TITLE) as progress:
        run = verify_all(progress=report)
        said = {"checked": run.checked, "changed": len(run.mismatched), "missing": len(run.missing)}
        summary = (
            f"{run.checked} checked: {len(run.mismatched)} changed, {len(run.missing)} missing, "
            f"{len(run.orphans)} orphans"
        )
        progress.finish(
            message=phrase("verify-done", orphans=len(run.orphans), **said),
            result_url=reverse("admin:evidence_verificationrun_change", args=[run.pk]),
        )
    return summary
