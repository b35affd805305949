"""Webhooks, with a real HTTP receiver on the loopback that checks each signature."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group

from core.roles import DATA_MANAGER
from tests import factories
from tests.conftest import grant_editor
from tests.watch.conftest import HTTP_PORT, make_due_now, run_worker
from watch.models import JobFailure, Notification, Webhook, WebhookDelivery
from watch.models.choices import Trigger, WebhookScope
from watch.tasks import dispatch_webhooks
from watch.webhooks import verify

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "s3cret-shared-with-the-partner"
URL = f"http://127.0.0.1:{HTTP_PORT}/hook"


def received_changes(receiver) -> list[dict]:
    return [change for _headers, body in receiver.received for change in json.loads(body)["changes"]]


def test_each_change_is_posted_signed_and_the_signature_verifies(http_receiver):
    alice = grant_editor(factories.UserFactory(username="alice"))
    Webhook.objects.create(owner=alice, url=URL, secret=SECRET)
    dispatch_webhooks.defer()
    run_worker()  # starts from here
    http_receiver.received.clear()
    case = factories.CaseFactory(title="Transfer to Seoul", lead=alice)
    dispatch_webhooks.defer()
    run_worker()
    assert http_receiver.received
    for headers, body in http_receiver.received:
        assert verify(SECRET, headers["Vigil-Timestamp"], body, headers["Vigil-Signature"])
        assert not verify("another secret", headers["Vigil-Timestamp"], body, headers["Vigil-Signature"])
        assert not verify(SECRET, headers["Vigil-Timestamp"], body + b" ", headers["Vigil-Signature"])
        assert not verify(SECRET, str(int(headers["Vigil-Timestamp"]) - 3600), body, headers["Vigil-Signature"])
    assert any(c["type"] == "cases" and c["id"] == case.pk for c in received_changes(http_receiver))
    delivery = WebhookDelivery.objects.latest("id")
    assert delivery.delivered_at and delivery.last_status_code == 200 and delivery.log[-1]["status"] == 200


def test_restricted_content_goes_only_to_endpoints_whose_owner_may_see_it(http_receiver):
    alice = grant_editor(factories.UserFactory(username="alice"))
    olivia = grant_editor(factories.UserFactory(username="olivia"))
    Webhook.objects.create(owner=olivia, url=URL, secret=SECRET)
    secret_case = factories.RestrictedCaseFactory(title="Tumanov brothers", lead=alice)
    factories.EventFactory(case=secret_case, title="Tumanov moved")
    open_case = factories.CaseFactory(title="Open one")
    scoped = Webhook.objects.create(owner=alice, url=URL + "?scoped", secret=SECRET, scope=WebhookScope.CASES)
    scoped.cases.add(open_case)
    factories.EventFactory(case=open_case, title="Visible news")
    dispatch_webhooks.defer()
    run_worker()
    everything = b"".join(body for _headers, body in http_receiver.received)
    assert b"Tumanov" not in everything
    assert b"Visible news" in everything


def test_a_failing_endpoint_is_retried_logged_then_disabled_and_data_managers_told(http_receiver, settings):
    settings.VIGIL_WEBHOOK_MAX_FAILURES = 1
    http_receiver.answer = 500
    alice = grant_editor(factories.UserFactory(username="alice"))
    dana = factories.UserFactory(username="dana", email="dana@example.org")
    dana.groups.add(Group.objects.get(name=DATA_MANAGER))
    webhook = Webhook.objects.create(owner=alice, url=URL, secret=SECRET)
    factories.CaseFactory(lead=alice)
    dispatch_webhooks.defer()
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.last_status_code == 500
    assert JobFailure.objects.filter(task_name="watch.deliver_webhook", will_retry=True).exists()
    for _try in range(12):  # each retry made due at once instead of waiting for the backoff
        make_due_now()
        run_worker()
    delivery.refresh_from_db()
    webhook.refresh_from_db()
    assert delivery.failed_at is not None and delivery.attempts == 10
    assert len(delivery.log) == 10
    assert not webhook.active and webhook.disabled_at
    assert Notification.objects.filter(user=dana, trigger=Trigger.WEBHOOK).exists()
    assert len(http_receiver.received) == 10
