"""Run the jobs an import or export queued, in the test's own transaction (the
``db`` fixture): the task's function is called as a worker would call it. The
real worker is run in test_export_api.py's transactional test."""

from __future__ import annotations

import json

from django.db import connection
from procrastinate.contrib.django import app


def run_queued_jobs() -> list[str]:
    """Every job waiting, oldest first (and those they queue): the names of those run."""
    ran = []
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, task_name, args FROM procrastinate_jobs WHERE status = 'todo' ORDER BY id LIMIT 1"
            )
            found = cursor.fetchone()
        if found is None:
            return ran
        job_id, name, args = found
        with connection.cursor() as cursor:
            cursor.execute("UPDATE procrastinate_jobs SET status = 'doing' WHERE id = %s", [job_id])
        app.tasks[name](**(json.loads(args) if isinstance(args, str) else args))
        with connection.cursor() as cursor:
            cursor.execute("UPDATE procrastinate_jobs SET status = 'succeeded' WHERE id = %s", [job_id])
        ran.append(name)
