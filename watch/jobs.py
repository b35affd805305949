"""Vigil's job engine: Procrastinate on Vigil's own PostgreSQL.

Each app declares its jobs in ``tasks.py`` (found by Procrastinate's Django
integration) and periodic ones with their schedule beside them. What every job
shares is here:

- ``RETRY``: up to 6 attempts, waiting 2, 4, 8, 16, 32 s between them (the
  deliveries of e-mails and webhooks retry on their own, longer schedule);
- ``record_failures``: a task middleware that writes each failed attempt, with
  its error and traceback, to ``JobFailure`` (admin, "Job failures", for data
  managers) before Procrastinate decides whether to retry;
- locks: a job that must never run twice at once takes ``lock=`` (Procrastinate
  runs jobs with the same lock one after the other) and, for periodic work,
  ``queueing_lock=`` (never two waiting in the queue);
- progress: long work keeps a ``core.models.BackgroundWork`` row through
  ``core.background`` (``work_defer``, ``work_running``), which its owner
  watches on "My background work"; a failed attempt that will be retried puts
  it back to waiting (below).

Workers: ``python manage.py procrastinate worker`` (``make run`` starts one
beside the web server; README says how many to run in production).
"""

from __future__ import annotations

import traceback

from procrastinate import RetryStrategy

RETRY = RetryStrategy(max_attempts=6, exponential_wait=2)


def record_failures(call_next, context, worker):
    """Run the task; when it raises, keep the error for the data managers."""
    try:
        return call_next()
    except Exception as error:
        from django.db import close_old_connections

        from watch.models import JobFailure

        job = context.job
        task = context.app.tasks.get(job.task_name)
        strategy = getattr(task, "retry_strategy", None)
        will_retry = bool(strategy and strategy.get_retry_decision(exception=error, job=job))
        close_old_connections()
        JobFailure.objects.create(
            job_id=job.id or 0,
            task_name=job.task_name,
            args=job.task_kwargs,
            attempt=job.attempts + 1,
            error=f"{type(error).__name__}: {error}"[:5000],
            traceback="".join(traceback.format_exception(error))[-20000:],
            will_retry=will_retry,
        )
        if will_retry and job.id:
            from core.background import work_retrying

            work_retrying(job_id=job.id, attempt=job.attempts + 1)
        raise


def on_app_ready(app) -> None:
    """PROCRASTINATE_ON_APP_READY: every worker records its jobs' failures and
    forgets the jobs that succeeded."""
    defaults = dict(app.worker_defaults or {})
    defaults["task_middleware"] = [record_failures, *defaults.get("task_middleware", [])]
    # Periodic jobs run every few seconds: keep the failed ones (and JobFailure), not the thousands that worked.
    defaults.setdefault("delete_jobs", "successful")
    app.worker_defaults = defaults
