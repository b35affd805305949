"""Webhooks: each change a partner's endpoint should get, POSTed as JSON and
signed with HMAC-SHA256.

Every request carries:

    Vigil-Timestamp: 1764570000               (Unix seconds when it was signed)
    Vigil-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret>
    Vigil-Delivery: <delivery id>              (the same on every retry: deduplicate on it)

A receiver recomputes the signature over the raw body, compares in constant
time, and refuses a timestamp older than VIGIL_WEBHOOK_TOLERANCE_SECONDS (the
replay window, 5 minutes by default). The body is the change feed's page
format: ``{"changes": [...], "cursor": "..."}``, each change as its endpoint's
owner may see it (``watch.represent``): restricted content goes only to
endpoints whose owner may see it, sensitive fields only when the owner may.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from core.locale import override_for
from watch.changes import Position, cursor_for, position_of, read_after
from watch.models import Webhook, WebhookDelivery
from watch.models.choices import Trigger, WebhookScope
from watch.phrases import phrase
from watch.represent import represent

DISPATCHER = "webhooks"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None) -> bool:
    """What a receiver does (and what the tests do): signature and replay window."""
    try:
        moment = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now or time.time()) - moment) > settings.VIGIL_WEBHOOK_TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, moment, body), signature or "")


def _in_scope(webhook: Webhook, change, case_ids: set[int]) -> bool:
    if webhook.scope == WebhookScope.ALL:
        return True
    return change.case_id is not None and change.case_id in case_ids


def dispatch(*, limit: int = 200) -> int:
    """Turn the next changes into one delivery per endpoint, each sent by a job."""
    total = 0
    while True:
        with transaction.atomic():
            cursor = cursor_for(DISPATCHER)
            changes = read_after(Position(cursor.seq), limit=limit)
            if not changes:
                return total
            last = position_of(changes[-1])
            for webhook in Webhook.objects.filter(active=True).select_related("owner"):
                case_ids = set(webhook.cases.values_list("pk", flat=True))
                mine = [change for change in changes if _in_scope(webhook, change, case_ids)]
                with override_for(webhook.owner):  # labels in the owner's language, as their API reads
                    entries = [
                        {**entry, "cursor": position_of(change).encode()}
                        for change, entry in represent(mine, user=webhook.owner)
                    ]
                if not entries:
                    continue
                body = json.loads(json.dumps({"changes": entries, "cursor": last.encode()}, cls=DjangoJSONEncoder))
                delivery = WebhookDelivery.objects.create(webhook=webhook, body=body)
                transaction.on_commit(lambda pk=delivery.pk: _defer(pk))
            cursor.seq = last.seq
            cursor.save(update_fields=["seq"])
            total += len(changes)


def _defer(delivery_id: int) -> None:
    from watch.tasks import deliver_webhook

    deliver_webhook.defer(delivery_id=delivery_id)


def post(webhook: Webhook, delivery: WebhookDelivery) -> int:
    if not webhook.url.lower().startswith(("https://", "http://")):
        raise urllib.error.URLError("only http:// and https:// endpoints are called")
    body = json.dumps(delivery.body, separators=(",", ":")).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - the URL is a data manager's http(s) endpoint (URLField)
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Vigil-Webhook/1",
            "Vigil-Timestamp": str(timestamp),
            "Vigil-Signature": sign(webhook.secret, timestamp, body),
            "Vigil-Delivery": str(delivery.pk),
        },
    )
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
        return response.status


class DeliveryFailed(Exception):
    pass


def deliver(delivery_id: int, *, last_try: bool = False) -> str:
    """Send one delivery; raise (so the job retries with backoff) on a failure.
    After the last try fails, count it against the endpoint, which is disabled
    after VIGIL_WEBHOOK_MAX_FAILURES such deliveries in a row."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.delivered_at or delivery.failed_at:
        return "nothing to do"
    webhook = delivery.webhook
    if not webhook.active:
        return "endpoint disabled"
    code, error = None, ""
    try:
        code = post(webhook, delivery)
    except urllib.error.HTTPError as answer:
        code, error = answer.code, f"HTTP {answer.code}"
    except (urllib.error.URLError, OSError) as failure:
        error = str(getattr(failure, "reason", failure))
    ok = code is not None and 200 <= code < 300
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.attempts += 1
        delivery.last_status_code, delivery.last_error = code, error
        delivery.log = [*delivery.log, {"at": timezone.now().isoformat(), "status": code, "error": error}]
        webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
        if ok:
            delivery.delivered_at = timezone.now()
            webhook.consecutive_failures = 0
        elif last_try:
            delivery.failed_at = timezone.now()
            webhook.consecutive_failures += 1
            if webhook.consecutive_failures >= settings.VIGIL_WEBHOOK_MAX_FAILURES:
                _disable(webhook)
        delivery.save()
        webhook.save()
    if not ok and not last_try:
        raise DeliveryFailed(f"{webhook.url}: {error or code}")
    return "delivered" if ok else "failed"


def _disable(webhook: Webhook) -> None:
    from watch import services
    from watch.selectors import data_managers

    webhook.active, webhook.disabled_at = False, timezone.now()
    for user in data_managers():
        services.notify(
            user=user,
            trigger=Trigger.WEBHOOK,
            key=f"webhook-disabled:{webhook.pk}:{webhook.disabled_at.isoformat()}",
            text=phrase("webhook-disabled", url=webhook.url, failures=webhook.consecutive_failures),
            url="/admin/watch/webhook/",
        )
