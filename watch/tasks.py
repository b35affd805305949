"""The watch's jobs (Procrastinate): each idempotent, retried with backoff, the
periodic ones declared here with their schedule. ``lock`` keeps two runs of the
same work from overlapping; ``queueing_lock`` keeps at most one waiting.

Schedules (cron, with seconds as a sixth field where it matters):

    process_changes    every 10 s   notifications, follows and alerts from the change log
    check_due          every minute follow-ups falling due, requests going stalled
    escalate_alerts    every minute forced-return alerts nobody acknowledged
    send_digests       every 15 min each user's daily or weekly digest, when it is due
    dispatch_webhooks  every 10 s   changes to the partners' endpoints
    prune              every hour   the change log, notifications and delivery logs past retention
"""

from __future__ import annotations

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from watch.jobs import RETRY

# E-mails and webhooks get more tries: 4 s, 8 s, 16 s, ... 17 minutes, about 35 minutes in all.
DELIVERY_RETRY = RetryStrategy(max_attempts=10, exponential_wait=2)


@app.task(name="watch.deliver_email", queue="mail", retry=DELIVERY_RETRY)
def deliver_email(notification_id: int) -> str:
    from watch.mail import send_notification_email

    return send_notification_email(notification_id)


@app.periodic(cron="*/10 * * * * *", periodic_id="process_changes")
@app.task(
    name="watch.process_changes", lock="watch.process_changes", queueing_lock="watch.process_changes", retry=RETRY
)
def process_changes(timestamp: int | None = None) -> int:
    from watch.notify import process_changes as run

    total = 0
    while (handled := run()) > 0:
        total += handled
    return total


@app.periodic(cron="* * * * *", periodic_id="check_due")
@app.task(name="watch.check_due", lock="watch.check_due", queueing_lock="watch.check_due", retry=RETRY)
def check_due(timestamp: int | None = None) -> int:
    from watch.notify import check_due as run

    return run()


@app.periodic(cron="* * * * *", periodic_id="escalate_alerts")
@app.task(
    name="watch.escalate_alerts", lock="watch.escalate_alerts", queueing_lock="watch.escalate_alerts", retry=RETRY
)
def escalate_alerts(timestamp: int | None = None) -> int:
    from watch.notify import escalate_alerts as run

    return run()


@app.periodic(cron="*/15 * * * *", periodic_id="send_digests")
@app.task(name="watch.send_digests", lock="watch.send_digests", queueing_lock="watch.send_digests", retry=RETRY)
def send_digests(timestamp: int | None = None) -> int:
    from watch.digest import send_due_digests

    return send_due_digests()


@app.periodic(cron="*/10 * * * * *", periodic_id="dispatch_webhooks")
@app.task(
    name="watch.dispatch_webhooks", lock="watch.dispatch_webhooks", queueing_lock="watch.dispatch_webhooks", retry=RETRY
)
def dispatch_webhooks(timestamp: int | None = None) -> int:
    from watch.webhooks import dispatch

    return dispatch()


@app.task(name="watch.deliver_webhook", queue="webhooks", retry=DELIVERY_RETRY, pass_context=True)
def deliver_webhook(context, delivery_id: int) -> str:
    from watch.webhooks import deliver

    last_try = context.job.attempts + 1 >= DELIVERY_RETRY.max_attempts
    return deliver(delivery_id, last_try=last_try)


@app.periodic(cron="23 * * * *", periodic_id="prune")
@app.task(name="watch.prune", lock="watch.prune", queueing_lock="watch.prune", retry=RETRY)
def prune(timestamp: int | None = None) -> dict:
    from watch.retention import prune as run

    return run()
