"""Retention: the periodic job watch.prune deletes, in batches, the change log,
notifications and delivery logs past their settings (with a real worker), and
the change feed answers a cursor older than what it keeps with 410 Gone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import BackgroundWork, WorkState
from tests import factories
from tests.conftest import grant_editor
from tests.watch.conftest import run_worker
from watch import retention
from watch.models import Change, ChangeCursor, JobFailure, Notification, OutboxMessage, Webhook, WebhookDelivery
from watch.models.choices import EmailState, Trigger
from watch.tasks import dispatch_webhooks, process_changes, prune

pytestmark = pytest.mark.django_db(transaction=True)

LONG_AGO = timezone.now() - datetime.timedelta(days=400)


def feed(client, since: str):
    return client.get("/api/v1/changes/", {"since": since})


def test_old_changes_go_once_every_reader_handled_them_and_an_older_cursor_gets_410(settings):
    settings.VIGIL_CHANGE_LOG_RETENTION_DAYS = 30
    alice = grant_editor(factories.UserFactory(username="alice"))
    case = factories.CaseFactory(lead=alice)
    client = APIClient()
    client.force_authenticate(alice)
    first = feed(client, "").json()
    old_cursor = first["changes"][0]["cursor"]
    for title in ("one", "two", "three"):
        factories.EventFactory(case=case, title=title)
    Change.objects.update(at=LONG_AGO)

    prune.defer()
    run_worker()
    assert Change.objects.count() > 0, "the notifier and the dispatcher have not read them yet: kept"

    process_changes.defer()
    dispatch_webhooks.defer()
    run_worker()
    prune.defer()
    run_worker()
    assert Change.objects.count() == 0
    assert retention.horizon() > 0

    for gone in ("", old_cursor):
        answer = feed(client, gone)
        assert answer.status_code == 410
        assert answer.json()["code"] == "cursor_expired" and "Resync" in answer.json()["detail"]
    resync_from = feed(client, old_cursor).json()["cursor"]
    factories.EventFactory(case=case, title="after the resync")
    page = feed(client, resync_from)
    assert page.status_code == 200
    assert [entry["data"]["title"] for entry in page.json()["changes"] if entry["type"] == "events"] == [
        "after the resync"
    ]


def test_recent_changes_stay_and_their_cursors_keep_working(settings):
    alice = grant_editor(factories.UserFactory(username="alice"))
    factories.EventFactory(case=factories.CaseFactory(lead=alice), title="recent")
    for name in ("notifier", "webhooks"):
        ChangeCursor.objects.update_or_create(name=name, defaults={"seq": 10**9})
    assert retention.prune()["changes"] == 0
    client = APIClient()
    client.force_authenticate(alice)
    assert feed(client, "").status_code == 200


def test_pruning_goes_in_batches_to_the_end(settings):
    alice = grant_editor(factories.UserFactory(username="alice"))
    case = factories.CaseFactory(lead=alice)
    for number in range(7):
        factories.EventFactory(case=case, title=f"event {number}")
    Change.objects.update(at=LONG_AGO)
    for name in ("notifier", "webhooks"):
        ChangeCursor.objects.update_or_create(name=name, defaults={"seq": 10**9})
    total = Change.objects.count()
    assert retention.prune(batch=2)["changes"] == total
    assert retention.horizon() > 0 and not Change.objects.exists()


def test_notifications_and_delivery_logs_past_retention_go_but_a_waiting_email_stays():
    alice = factories.UserFactory(username="alice")
    old_read = Notification.objects.create(user=alice, trigger=Trigger.CASE_EVENT, key="a", text="old")
    waiting = Notification.objects.create(
        user=alice, trigger=Trigger.CASE_EVENT, key="b", text="old, e-mail waits", email_state=EmailState.PENDING
    )
    recent = Notification.objects.create(user=alice, trigger=Trigger.CASE_EVENT, key="c", text="recent")
    Notification.objects.filter(pk__in=[old_read.pk, waiting.pk]).update(created_at=LONG_AGO)
    webhook = Webhook.objects.create(owner=alice, url="http://127.0.0.1:9/", secret="s")
    delivered = WebhookDelivery.objects.create(webhook=webhook, body={}, delivered_at=LONG_AGO)
    pending = WebhookDelivery.objects.create(webhook=webhook, body={})
    WebhookDelivery.objects.update(created_at=LONG_AGO)
    failure = JobFailure.objects.create(job_id=1, task_name="t", attempt=1, error="e")
    JobFailure.objects.update(failed_at=LONG_AGO)
    OutboxMessage.objects.create(to="a@example.org", subject="s", body="b")
    OutboxMessage.objects.update(sent_at=LONG_AGO)
    done = BackgroundWork.objects.create(kind="export", title="t", state=WorkState.DONE, finished_at=LONG_AGO)
    running = BackgroundWork.objects.create(kind="export", title="t", state=WorkState.RUNNING)

    counts = retention.prune()

    assert set(Notification.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [pending.pk]
    assert not JobFailure.objects.filter(pk=failure.pk).exists() and not OutboxMessage.objects.exists()
    assert list(BackgroundWork.objects.values_list("pk", flat=True)) == [running.pk]
    assert counts | {"changes": 0, "throttle_counts": 0} == {
        "changes": 0,
        "throttle_counts": 0,
        "notifications": 1,
        "webhook_deliveries": 1,
        "job_failures": 1,
        "outbox": 1,
        "background_work": 1,
    }
    assert delivered.pk and done.pk
