"""The evidence jobs (Procrastinate, found by its Django integration): the periodic
re-hash of every stored file.

    verify_files   every day at 03:00   re-hash every stored file (resuming an
                                        unfinished run); mail the data managers
                                        when bytes changed or went missing

``manage.py verify_files`` does the same work by hand, with a progress bar.
"""

from __future__ import annotations

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app


@app.periodic(cron="0 3 * * *", periodic_id="verify_files")
@app.task(
    name="evidence.verify_files",
    lock="evidence.verify_files",  # never two runs at once: they would share the unfinished run
    queueing_lock="evidence.verify_files",
    retry=RetryStrategy(max_attempts=3, exponential_wait=60),  # a retry resumes where the failed attempt stopped
)
def verify_files(timestamp: int | None = None) -> str:
    from evidence.verification import verify_all

    run = verify_all()
    return (
        f"{run.checked} checked: {len(run.mismatched)} changed, {len(run.missing)} missing, {len(run.orphans)} orphans"
    )
