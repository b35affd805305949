"""Measure the watch: notification fan-out to many followers of one case, the
change feed's read rate, and pruning the change log (watch/retention.py).
Everything it writes is rolled back.

    python manage.py watch_bench [--followers 1000] [--changes 2000] [--json]
    python bench/watch.py        (the same on a database of its own, results in bench/results/)
"""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import RequestFactory
from rest_framework.test import force_authenticate

from casework.models import Case
from events.models import Event
from watch.api.views import ChangeFeedView
from watch.models import Follow, Notification
from watch.notify import process_changes


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Measure notification fan-out and the change feed (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--followers", type=int, default=1000)
        parser.add_argument("--changes", type=int, default=2000)
        parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")

    def handle(self, *args, followers: int, changes: int, **options):
        self.figures: dict = {}
        try:
            with transaction.atomic():
                self.measure(followers, changes)
                raise Rollback
        except Rollback:
            pass
        if options["json"]:
            import json

            self.stdout.write(json.dumps(self.figures))
        else:
            for line in self.figures.values():
                self.stdout.write(line["text"])

    def measure(self, followers: int, changes: int) -> None:
        # Number this transaction's changes as they are written, as commits would (watch/changes.py).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS watch_number_change IMMEDIATE")
        User = get_user_model()
        lead = User.objects.create(username="bench-lead", is_superuser=True)
        case = Case.objects.create(title="Benchmark case", lead=lead, opened_on="2026-01-01")
        users = User.objects.bulk_create([User(username=f"bench-follower-{i}") for i in range(followers)])
        Follow.objects.bulk_create([Follow(user=user, case=case) for user in users])
        while process_changes(limit=5000):  # catch up with the set-up
            pass

        Event.objects.create(case=case, kind="media_report", title="Fan-out")
        started = time.perf_counter()
        while process_changes():
            pass
        elapsed = time.perf_counter() - started
        sent = Notification.objects.filter(case=case, trigger="case_event").count()
        self.figures["fan_out"] = {
            "followers": followers,
            "notifications": sent,
            "seconds": round(elapsed, 3),
            "per_second": round(sent / elapsed),
            "text": f"fan-out: {sent} notifications for one event to {followers} followers in {elapsed:.2f} s "
            f"({sent / elapsed:.0f} notifications/s)",
        }

        Event.objects.bulk_create([Event(case=case, kind="media_report", title=f"Change {i}") for i in range(changes)])
        factory, view = RequestFactory(HTTP_HOST="127.0.0.1"), ChangeFeedView.as_view()
        # Start from the position just before these changes.
        from watch.changes import Position
        from watch.models import Change

        first = Change.objects.filter(table="events_event", case_id=case.pk).order_by("seq").first()
        cursor, read, pages = Position(first.seq - 1).encode(), 0, 0
        started = time.perf_counter()
        while True:
            request = factory.get("/api/v1/changes/", {"since": cursor, "limit": 200})
            force_authenticate(request, user=lead)
            page = view(request).data
            read, pages, cursor = read + len(page["changes"]), pages + 1, page["cursor"]
            if not page["more"]:
                break
        elapsed = time.perf_counter() - started
        self.figures["change_feed"] = {
            "changes": read,
            "pages": pages,
            "seconds": round(elapsed, 3),
            "per_second": round(read / elapsed),
            "text": f"change feed: {read} changes in {pages} pages of 200 in {elapsed:.2f} s "
            f"({read / elapsed:.0f} changes/s)",
        }
        self.measure_prune()

    def measure_prune(self) -> None:
        """Delete every change of the log as if all were past retention and every reader had handled them."""
        import datetime

        from django.utils import timezone

        from watch.models import ChangeCursor
        from watch.retention import prune_changes, readers

        for name in readers():
            ChangeCursor.objects.update_or_create(name=name, defaults={"seq": 2**62})
        before = timezone.now() + datetime.timedelta(days=1)
        started = time.perf_counter()
        deleted = prune_changes(before=before)
        elapsed = time.perf_counter() - started
        self.figures["prune"] = {
            "changes": deleted,
            "seconds": round(elapsed, 3),
            "per_second": round(deleted / elapsed) if elapsed else None,
            "text": f"prune: {deleted} changes deleted in batches of 5,000 in {elapsed:.2f} s "
            f"({deleted / elapsed:.0f} changes/s)",
        }
