from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import track
from watch.models.choices import AlertRule


@track
class Alert(models.Model):
    """An urgent forced-return alert (docs/watch.md): raised by a rule for a
    person in a case, acknowledged by a named user with a note, escalated while
    nobody does. Every change is in history (pghistory triggers)."""

    rule = models.CharField(max_length=32, choices=AlertRule.choices, verbose_name=_("rule"))
    key = models.CharField(
        max_length=200, unique=True, help_text=_("What raised it, so it is raised once."), verbose_name=_("key")
    )
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    summary = models.TextField(
        help_text=_("What happened, in words (may name a sensitive detail: see `sensitive`)."),
        verbose_name=_("summary"),
    )
    message = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The summary as a code and its values, written in the reader's language."),
        verbose_name=_("message"),
    )
    sensitive = models.BooleanField(
        default=False, help_text=_("The summary names a sensitive detail (risk level)."), verbose_name=_("sensitive")
    )
    raised_at = models.DateTimeField(auto_now_add=True, verbose_name=_("raised at"))
    escalation_level = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("0: lead, team and data managers; 1: data managers again; 2: every view_all_cases holder."),
        verbose_name=_("escalation level"),
    )
    escalated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("escalated at"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("acknowledged at"))
    acknowledgement_note = models.TextField(blank=True, verbose_name=_("acknowledgement note"))

    class Meta:
        verbose_name = _("forced-return alert")
        verbose_name_plural = _("forced-return alerts")
        ordering = ["-raised_at", "-id"]
        indexes = [
            # "At risk now" and the escalation job: alerts nobody acknowledged.
            models.Index(fields=["raised_at"], name="alert_open_idx", condition=Q(acknowledged_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                name="alert_acknowledged_with_note",
                condition=Q(acknowledged_at__isnull=True)
                | (Q(acknowledged_by__isnull=False) & ~Q(acknowledgement_note="")),
                violation_error_message="An acknowledgement names who acknowledged and carries a note.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} ({self.case_id})"

    @property
    def shown_summary_text(self) -> str:
        """The summary in the current language."""
        if not self.message:
            return self.summary
        from watch.phrases import render

        return render(self.message)
