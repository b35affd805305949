"""Long work as a job, with its progress visible to whoever started it.

Any app's long work (imports, exports, the full duplicate pass, the
verification of stored files) runs as a Procrastinate job and keeps one
``BackgroundWork`` row up to date; its owner watches it on "My background
work" (/watch/work/, refreshing itself), data managers read every run, with
the failed ones' errors, in admin ("Background work"). Four names are the API:

    # 1. where the work is asked for (a view, an admin action, a service): one row, one job,
    #    in the caller's transaction (nothing is queued if it rolls back)
    work = work_defer(my_task, kind="export", title="Export of 3 cases", owner=user, profile_id=7)

    # 2. in the task (it receives ``work_id``)
    @app.task(name="exchange.export", retry=RETRY)
    def my_task(work_id: int, profile_id: int):
        with work_running(work_id) as progress:
            for done, row in enumerate(rows, 1):
                ...
                progress.report(done, total=len(rows), message=f"{done} of {len(rows)} rows written")
            progress.finish(message="3 cases exported", result_url=reverse(...))

    # 3. a periodic job nobody asked for (pass_context=True): one row per job, owner empty
    with work_running(job_id=context.job.id, kind="verify_files", title="Verify stored files") as progress: ...

    # 4. a failure written for the owner (any other exception shows as "an unexpected error")
    raise WorkFailed("The file has no header row.")

Rules: ``title`` and ``message`` carry counts and kinds, never a case's
content (no names, no titles, no references of a restricted case): the owner
may lose access to a case while the row stays. ``report()`` writes at most once
a second (and always the last item), and from a connection of its own when
the task runs inside a transaction, so the owner sees progress before the
transaction commits. A task that raises is marked failed; when Procrastinate
retries it (watch.jobs.record_failures) it goes back to "waiting".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.models import BackgroundWork, WorkState
from core.phrases import as_text, phrase, register

REPORT_EVERY = 1.0  # seconds between two progress writes
register(
    {
        "work-retrying": _("Attempt %(attempt)s failed; trying again shortly."),
        "work-unexpected": _("Stopped by an unexpected error; the data managers can read it in admin."),
        "work-rows-written": ngettext_lazy("%(done)s row written", "%(done)s rows written", "done"),
    }
)
UNEXPECTED = as_text(phrase("work-unexpected"))


class WorkFailed(Exception):
    """A failure whose message is written for the work's owner (shown on their page)."""


def work_defer(task, *, kind: str, title: str, owner, **task_kwargs) -> BackgroundWork:
    """Record the work as waiting and queue ``task(work_id=…, **task_kwargs)``, in one transaction."""
    with transaction.atomic():
        work = BackgroundWork.objects.create(kind=kind, title=title[:200], owner=owner)
        work.job_id = task.defer(work_id=work.pk, **task_kwargs)
        BackgroundWork.objects.filter(pk=work.pk).update(job_id=work.job_id)
    return work


class Progress:
    """What a running task holds: ``report()`` as it goes, ``finish()`` at the end."""

    def __init__(self, work: BackgroundWork):
        self.work = work
        self._written = 0.0
        self._finished = False

    def report(self, done: int, total: int | None = None, message: str | dict | None = None) -> None:
        """``message``: a phrase (core.phrases), so the owner reads it in their language, or a string."""
        self.work.done = done
        if total is not None:
            self.work.total = total
        if message is not None:
            self.work.message = as_text(message)[:500]
        now = time.monotonic()
        last = self.work.total is not None and done >= self.work.total
        if last or now - self._written >= REPORT_EVERY:
            self._written = now
            _write(self.work.pk, done=self.work.done, total=self.work.total, message=self.work.message)

    def finish(self, *, message: str | dict = "", result_url: str = "") -> None:
        """The work is done: ``message`` (a phrase) says what came of it, ``result_url`` where it is."""
        self._finished = True
        self.work.message = as_text(message)[:500] or self.work.message
        self.work.result_url = result_url

    def _close(self, state: str, *, message: str | None = None, error: str = "") -> None:
        fields = {"state": state, "finished_at": timezone.now(), "error": error}
        if state == WorkState.DONE:
            if self._finished and self.work.total is not None:
                self.work.done = max(self.work.done, self.work.total)
            fields |= {"message": self.work.message, "result_url": self.work.result_url, "done": self.work.done}
            fields["total"] = self.work.total
        else:
            fields["message"] = message or UNEXPECTED
        _write(self.work.pk, **fields)


@contextmanager
def work_running(
    work_id: int | None = None, *, job_id: int | None = None, kind: str = "", title: str = ""
) -> Iterator[Progress]:
    """Mark the work running for the body of the ``with``, then done, or failed when it raises."""
    if work_id is not None:
        work = BackgroundWork.objects.get(pk=work_id)
    else:
        work, _created = BackgroundWork.objects.get_or_create(
            job_id=job_id, kind=kind, defaults={"title": title[:200], "owner": None}
        )
    work.attempts += 1
    work.state, work.started_at, work.finished_at = WorkState.RUNNING, work.started_at or timezone.now(), None
    _write(work.pk, state=work.state, attempts=work.attempts, started_at=work.started_at, finished_at=None)
    progress = Progress(work)
    try:
        yield progress
    except WorkFailed as failure:
        progress._close(WorkState.FAILED, message=str(failure)[:500], error=f"WorkFailed: {failure}")
        raise
    except Exception as error:
        progress._close(WorkState.FAILED, error=f"{type(error).__name__}: {error}"[:5000])
        raise
    else:
        progress._close(WorkState.DONE)


def report_progress(work_id: int, *, done: int, total: int | None = None, message: str | dict | None = None) -> None:
    """Write a work's progress now, for code that holds only its id."""
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = as_text(message)[:500]
    _write(work_id, **fields)


def work_retrying(*, job_id: int, attempt: int) -> None:
    """The job failed and Procrastinate will try again: the work is waiting again (its error stays for admin)."""
    BackgroundWork.objects.filter(job_id=job_id, state=WorkState.FAILED).update(
        state=WorkState.QUEUED, finished_at=None, message=as_text(phrase("work-retrying", attempt=attempt))
    )


def _write(work_id: int, **fields) -> None:
    """Update the row so that its owner sees it now: in autocommit directly, inside a
    transaction from a connection of its own (the transaction may run for minutes)."""
    fields["updated_at"] = timezone.now()
    if not connection.in_atomic_block:
        BackgroundWork.objects.filter(pk=work_id).update(**fields)
        return
    columns = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in fields)
    side = connection.get_new_connection(connection.get_connection_params())
    try:
        side.autocommit = True
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {BackgroundWork._meta.db_table} SET {columns} WHERE id = %s",  # noqa: S608 (our column names)
                [*fields.values(), work_id],
            )
    finally:
        side.close()
