"""Retention: what the watch keeps grows with every write, so the periodic job
``watch.prune`` deletes what is older than its setting, in batches (each batch
its own short transaction, so nothing is locked for long):

- the change log (``VIGIL_CHANGE_LOG_RETENTION_DAYS``), but never a change that
  Vigil's own readers (the notifier, the webhook dispatcher) have not handled;
  the highest ``seq`` deleted is kept as the feed's horizon (``ChangeCursor``
  named ``pruned``): a partner's cursor below it answers 410 Gone (resync);
- notifications (``VIGIL_NOTIFICATION_RETENTION_DAYS``), not while their e-mail
  waits to be sent;
- the delivery logs (``VIGIL_DELIVERY_LOG_RETENTION_DAYS``): finished webhook
  deliveries, job failures, the development outbox, finished background work;
- the API throttles' counts of callers quiet for two windows (core/api/throttling.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.api.throttling import forget_old_counts
from core.models import BackgroundWork, WorkState
from watch.models import Change, ChangeCursor, JobFailure, Notification, OutboxMessage, WebhookDelivery
from watch.models.choices import EmailState

BATCH = 5000
#: The ChangeCursor that remembers the highest seq pruned (not a reader).
PRUNED = "pruned"


def readers() -> tuple[str, ...]:
    from watch.notify import NOTIFIER
    from watch.webhooks import DISPATCHER

    return (NOTIFIER, DISPATCHER)


def horizon() -> int:
    """The highest seq deleted from the change log: a cursor below it has lost changes."""
    return ChangeCursor.objects.filter(name=PRUNED).values_list("seq", flat=True).first() or 0


def prune(*, now: datetime.datetime | None = None, batch: int = BATCH) -> dict[str, int]:
    """Delete, batch by batch, everything older than its retention; how many of each."""
    now = now or timezone.now()
    days = datetime.timedelta
    delivery_cutoff = now - days(days=settings.VIGIL_DELIVERY_LOG_RETENTION_DAYS)
    return {
        "throttle_counts": forget_old_counts(),
        "changes": prune_changes(before=now - days(days=settings.VIGIL_CHANGE_LOG_RETENTION_DAYS), batch=batch),
        "notifications": _prune(
            Notification.objects.filter(created_at__lt=now - days(days=settings.VIGIL_NOTIFICATION_RETENTION_DAYS))
            .exclude(email_state=EmailState.PENDING)
            .order_by("id"),
            batch,
        ),
        "webhook_deliveries": _prune(
            WebhookDelivery.objects.filter(created_at__lt=delivery_cutoff)
            .filter(Q(delivered_at__isnull=False) | Q(failed_at__isnull=False))
            .order_by("id"),
            batch,
        ),
        "job_failures": _prune(JobFailure.objects.filter(failed_at__lt=delivery_cutoff).order_by("id"), batch),
        "outbox": _prune(OutboxMessage.objects.filter(sent_at__lt=delivery_cutoff).order_by("id"), batch),
        "background_work": _prune(
            BackgroundWork.objects.filter(
                state__in=[WorkState.DONE, WorkState.FAILED], finished_at__lt=delivery_cutoff
            ).order_by("id"),
            batch,
        ),
    }


def _prune(queryset, batch: int) -> int:
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.values_list("id", flat=True)[:batch])
            if not ids:
                return deleted
            queryset.model.objects.filter(pk__in=ids).delete()
        deleted += len(ids)


def prune_changes(*, before: datetime.datetime, batch: int = BATCH) -> int:
    """Delete the changes older than ``before`` that every reader has handled, oldest first,
    and move the feed's horizon up to the last one deleted (in the same transaction)."""
    handled = dict(ChangeCursor.objects.filter(name__in=readers()).values_list("name", "seq"))
    limit = min(handled.get(name, 0) for name in readers())
    deleted = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH gone AS (
                    DELETE FROM {Change._meta.db_table} WHERE id IN (
                        SELECT id FROM {Change._meta.db_table}
                        WHERE seq IS NOT NULL AND seq <= %s AND at < %s ORDER BY seq LIMIT %s
                    ) RETURNING seq
                ) SELECT count(*), max(seq) FROM gone
                """,  # noqa: S608 (our table's name)
                [limit, before, batch],
            )
            count, highest = cursor.fetchone()
            if count:
                ChangeCursor.objects.get_or_create(name=PRUNED)
                ChangeCursor.objects.filter(name=PRUNED, seq__lt=highest).update(seq=highest)
        deleted += count
        if count < batch:
            return deleted
