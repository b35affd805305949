"""The watch's vocabularies: triggers, delivery channels, digest frequencies, alert rules."""

from django.db import models


class Trigger(models.TextChoices):
    FOLLOW_UP_ASSIGNED = "follow_up_assigned", "a follow-up is assigned to you"
    FOLLOW_UP_DUE = "follow_up_due", "a follow-up of yours falls due"
    REQUEST_STATUS = "request_status", "a request's status changes"
    POSITION = "position", "a government states a new position"
    REQUEST_STALLED = "request_stalled", "a request becomes stalled"
    CASE_EVENT = "case_event", "a new event in a case you follow"
    TEAM = "team", "you are added to or removed from a restricted case"
    FORCED_RETURN = "forced_return", "a forced-return alert"
    WEBHOOK = "webhook", "a webhook endpoint was disabled"


class Delivery(models.TextChoices):
    EMAIL = "email", "dashboard and e-mail at once"
    DASHBOARD = "dashboard", "dashboard only"
    DIGEST = "digest", "dashboard and the digest"
    OFF = "off", "not at all"


# What a user gets when they chose nothing for a trigger.
DEFAULT_DELIVERY = {
    Trigger.FOLLOW_UP_ASSIGNED: Delivery.EMAIL,
    Trigger.FOLLOW_UP_DUE: Delivery.EMAIL,
    Trigger.TEAM: Delivery.EMAIL,
    Trigger.FORCED_RETURN: Delivery.EMAIL,
    Trigger.WEBHOOK: Delivery.EMAIL,
    Trigger.REQUEST_STATUS: Delivery.DIGEST,
    Trigger.POSITION: Delivery.DIGEST,
    Trigger.REQUEST_STALLED: Delivery.DIGEST,
    Trigger.CASE_EVENT: Delivery.DIGEST,
}
# Never muted, never held for quiet hours: the forced-return watch (docs/watch.md).
URGENT_TRIGGERS = {Trigger.FORCED_RETURN}


class DigestFrequency(models.TextChoices):
    OFF = "off", "no digest"
    DAILY = "daily", "daily"
    WEEKLY = "weekly", "weekly (Mondays)"


class FollowReason(models.TextChoices):
    MANUAL = "manual", "followed by hand"
    LEAD = "lead", "leads the case"
    TEAM = "team", "on the team"
    EDITOR = "editor", "edited it"


class EmailState(models.TextChoices):
    NONE = "none", "no e-mail"
    PENDING = "pending", "waiting to be sent"
    SENT = "sent", "sent"
    WITHHELD = "withheld", "withheld (no longer visible)"


class AlertRule(models.TextChoices):
    """The forced-return watch's rules; docs/watch.md explains each for advocates."""

    MOVED_WHILE_PROTECTED = "moved_while_protected", "moved while asking not to be returned"
    DETAINING_STATE_TOWARD_RETURN = "detaining_state_toward_return", "detaining state moves toward return"
    RISK_RAISED = "risk_raised", "risk if returned raised to high or extreme"
    EXCHANGE_BY_DETAINING_STATE = "exchange_by_detaining_state", "prisoner exchange naming the detaining state"


class WebhookScope(models.TextChoices):
    ALL = "all", "every case the owner may see"
    CASES = "cases", "the cases listed"
