"""The watch's vocabularies: triggers, delivery channels, digest frequencies, alert rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    FOLLOW_UP_ASSIGNED = "follow_up_assigned", _("a follow-up is assigned to you")
    FOLLOW_UP_DUE = "follow_up_due", _("a follow-up of yours falls due")
    REQUEST_STATUS = "request_status", _("a request's status changes")
    POSITION = "position", _("a government states a new position")
    REQUEST_STALLED = "request_stalled", _("a request becomes stalled")
    CASE_EVENT = "case_event", _("a new event in a case you follow")
    TEAM = "team", _("you are added to or removed from a restricted case")
    FORCED_RETURN = "forced_return", _("a forced-return alert")
    WEBHOOK = "webhook", _("a webhook endpoint was disabled")


class Delivery(models.TextChoices):
    EMAIL = "email", _("dashboard and e-mail at once")
    DASHBOARD = "dashboard", _("dashboard only")
    DIGEST = "digest", _("dashboard and the digest")
    OFF = "off", _("not at all")


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
    OFF = "off", _("no digest")
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly (Mondays)")


class FollowReason(models.TextChoices):
    MANUAL = "manual", _("followed by hand")
    LEAD = "lead", _("leads the case")
    TEAM = "team", _("on the team")
    EDITOR = "editor", _("edited it")


class EmailState(models.TextChoices):
    NONE = "none", _("no e-mail")
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    WITHHELD = "withheld", _("withheld (no longer visible)")


class AlertRule(models.TextChoices):
    """The forced-return watch's rules; docs/watch.md explains each for advocates."""

    MOVED_WHILE_PROTECTED = "moved_while_protected", _("moved while asking not to be returned")
    DETAINING_STATE_TOWARD_RETURN = "detaining_state_toward_return", _("detaining state moves toward return")
    RISK_RAISED = "risk_raised", _("risk if returned raised to high or extreme")
    EXCHANGE_BY_DETAINING_STATE = "exchange_by_detaining_state", _("prisoner exchange naming the detaining state")


class WebhookScope(models.TextChoices):
    ALL = "all", _("every case the owner may see")
    CASES = "cases", _("the cases listed")
