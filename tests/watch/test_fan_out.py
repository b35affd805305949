"""Notifying a case's followers costs the same few queries for 10 or 200 of them
(python manage.py watch_bench measures 1,000)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from watch import services
from watch.models import Follow, Notification
from watch.models.choices import Trigger
from watch.selectors import case_followers


def fan_out_queries(count: int) -> int:
    case = factories.CaseFactory()
    users = [factories.UserFactory(username=f"f{count}-{i}", email=f"f{count}-{i}@example.org") for i in range(count)]
    Follow.objects.bulk_create([Follow(user=user, case=case) for user in users])
    with CaptureQueriesContext(connection) as queries:
        followers = case_followers(case=case)
        services.notify_many(
            user=None, users=followers, trigger=Trigger.CASE_EVENT, key=f"event:{count}", case=case, text="News"
        )
    assert Notification.objects.filter(case=case).count() == count
    return len(queries)


def test_notifying_followers_takes_as_many_queries_for_200_as_for_10(db):
    # The followers, their preferences, who was notified already, one insert: whatever their number.
    assert fan_out_queries(10) == fan_out_queries(200)
