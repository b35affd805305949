"""The watch's records: follows and preferences, notifications, forced-return
alerts, the change log behind the change feed and webhooks, and failed jobs."""

from watch.models.alerts import Alert
from watch.models.exchange import Change, ChangeCursor, Webhook, WebhookDelivery
from watch.models.follows import Follow, Preference, WatchSettings
from watch.models.jobs import JobFailure, OutboxMessage
from watch.models.notifications import Notification

__all__ = [
    "Alert",
    "Change",
    "ChangeCursor",
    "Follow",
    "JobFailure",
    "Notification",
    "OutboxMessage",
    "Preference",
    "WatchSettings",
    "Webhook",
    "WebhookDelivery",
]
