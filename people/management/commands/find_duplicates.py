"""``manage.py find_duplicates``: fill the review queue of possible duplicate people.

Index-driven: the pairs come from the stored name keys and identifiers shared
(people/duplicate_pass.py), never from comparing every person with every
other. Pairs already judged are never re-opened. Run it from cron, or after an
import (or as the "Full duplicate pass" background work).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection

from people.duplicate_pass import duplicate_pass


class Command(BaseCommand):
    help = "Find possible duplicate people across the whole database and queue them for review."

    def add_arguments(self, parser):
        parser.add_argument(
            "--key-cap", type=int, help="ignore a name key shared by more people (VIGIL_DUPLICATE_KEY_CAP)"
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")  # one long GROUP BY over every key, on purpose
        counts = duplicate_pass(group_cap=options["key_cap"])
        elapsed = time.monotonic() - started
        steps = ", ".join(f"{step} {seconds} s" for step, seconds in counts["seconds"].items())
        self.stdout.write(
            f"{counts['pairs']} pairs sharing a key scored, {counts['queued']} queued for review, in {elapsed:.1f} s "
            f"({steps}; {counts['people']} people, {counts['signatures']} name signatures, "
            f"{counts['name_reasons']} name reasons worded, {counts['left_the_queue']} open pairs left the queue)."
        )
