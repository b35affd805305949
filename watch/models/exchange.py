"""The change log (written by a trigger on every tracked table, see the
migration 0002_change_log) and the webhooks that carry it to partners."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from watch.models.choices import WebhookScope


class Change(models.Model):
    """One insert, update or delete of a record, written by the database trigger
    ``watch_record_change`` in the same transaction. ``seq`` is given at commit
    (a deferred trigger, under a lock held until the commit ends), so sequence
    order is commit order: a reader after seq N can never later find a change
    below N (watch/changes.py)."""

    id = models.BigAutoField(primary_key=True, verbose_name=_("ID"))
    seq = models.BigIntegerField(
        null=True, editable=False, help_text=_("Given at commit; commit order."), verbose_name=_("sequence number")
    )
    table = models.CharField(max_length=63, verbose_name=_("table"))
    object_id = models.BigIntegerField(verbose_name=_("object ID"))
    op = models.CharField(max_length=1, verbose_name=_("operation"))  # I, U, D
    case_id = models.BigIntegerField(null=True, verbose_name=_("case ID"))
    user_id = models.BigIntegerField(
        null=True, verbose_name=_("user ID")
    )  # the row's user or assignee column, where it has one
    actor_id = models.BigIntegerField(
        null=True, verbose_name=_("actor ID")
    )  # who made the change (pghistory's context)
    at = models.DateTimeField(verbose_name=_("at"))

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [
            # The feed's and each reader's page: WHERE seq > cursor ORDER BY seq.
            models.Index(fields=["seq"], name="change_seq_idx"),
            # The digest and "what changed since": a case's changes by time.
            models.Index(fields=["case_id", "at"], name="change_case_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.op} {self.table} #{self.object_id}"


class ChangeCursor(models.Model):
    """How far a reader of the change log (the notifier, the webhook dispatcher) got."""

    name = models.CharField(max_length=50, unique=True, verbose_name=_("name"))
    seq = models.BigIntegerField(default=0, verbose_name=_("sequence number"))

    class Meta:
        verbose_name = _("change cursor")
        verbose_name_plural = _("change cursors")

    def __str__(self) -> str:
        return f"{self.name} at {self.seq}"


class Webhook(models.Model):
    """A partner's endpoint: each change its owner may see, in its scope, is
    POSTed there signed with HMAC-SHA256 (docs/watch.md)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="webhooks",
        help_text=_("Changes go out as this user may see them."),
        verbose_name=_("owner"),
    )
    url = models.URLField(max_length=500, verbose_name=_("URL"))
    secret = models.CharField(
        max_length=200,
        help_text=_("Shared with the receiver, who checks each signature with it."),
        verbose_name=_("secret"),
    )
    scope = models.CharField(
        max_length=5, choices=WebhookScope.choices, default=WebhookScope.ALL, verbose_name=_("scope")
    )
    cases = models.ManyToManyField(
        "casework.Case",
        blank=True,
        related_name="+",
        help_text=_("With scope “the cases listed”: changes in these cases only."),
        verbose_name=_("cases"),
    )
    active = models.BooleanField(default=True, verbose_name=_("active"))
    consecutive_failures = models.PositiveIntegerField(default=0, verbose_name=_("consecutive failures"))
    disabled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("disabled at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One batch of changes for one endpoint: its body, each attempt's answer."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook"))
    body = models.JSONField(verbose_name=_("body"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    last_status_code = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("last status code"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))
    failed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Every retry failed."), verbose_name=_("failed at")
    )
    log = models.JSONField(
        default=list, help_text=_("Each attempt: when, response code or error."), verbose_name=_("log")
    )

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.webhook} #{self.pk}"
