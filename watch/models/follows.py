from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.locale import time_zone_for
from watch.models.choices import Delivery, DigestFrequency, FollowReason, Trigger


class Follow(models.Model):
    """A user follows a case or a person. Leading a case, being on its team or
    editing it follows it automatically; ``active`` false records an unfollow,
    which the automatic follows respect."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("user")
    )
    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    reason = models.CharField(
        max_length=8, choices=FollowReason.choices, default=FollowReason.MANUAL, verbose_name=_("reason")
    )
    active = models.BooleanField(default=True, verbose_name=_("active"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "case"],
                name="follow_user_case_unique",
                violation_error_message="This user already follows this case.",
            ),
            models.UniqueConstraint(
                fields=["user", "person"],
                name="follow_user_person_unique",
                violation_error_message="This user already follows this person.",
            ),
            models.CheckConstraint(
                name="follow_case_xor_person",
                condition=Q(case__isnull=True) ^ Q(person__isnull=True),
                violation_error_message="A follow is of a case or of a person.",
            ),
        ]
        indexes = [
            # Fan-out: the followers of a case (or person).
            models.Index(fields=["case", "user"], name="follow_case_user_idx", condition=Q(active=True)),
            models.Index(fields=["person", "user"], name="follow_person_user_idx", condition=Q(active=True)),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.case or self.person}"


class Preference(models.Model):
    """How a user wants one trigger delivered (watch.models.choices.DEFAULT_DELIVERY otherwise)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_preferences", verbose_name=_("user")
    )
    trigger = models.CharField(max_length=20, choices=Trigger.choices, verbose_name=_("trigger"))
    delivery = models.CharField(max_length=10, choices=Delivery.choices, verbose_name=_("delivery"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "trigger"],
                name="preference_user_trigger_unique",
                violation_error_message="One preference per trigger.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.trigger} by {self.delivery}"


class WatchSettings(models.Model):
    """A user's digest and quiet hours, on the user's own clock (their time zone, else TIME_ZONE's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_settings", verbose_name=_("user")
    )
    digest = models.CharField(
        max_length=6, choices=DigestFrequency.choices, default=DigestFrequency.DAILY, verbose_name=_("digest")
    )
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last digest at"))

    class Meta:
        verbose_name = _("watch settings")
        verbose_name_plural = _("watch settings")

    def __str__(self) -> str:
        return f"{self.user}'s watch settings"

    def quiet_hours_end(self, moment: datetime.datetime) -> datetime.datetime | None:
        """When ``moment`` falls in the user's quiet hours, the moment they end; else None.
        The hours are on the user's own clock (their time zone, ``core.locale.time_zone_for``)."""
        if self.quiet_from is None or self.quiet_until is None:
            return None
        local = timezone.localtime(moment, time_zone_for(self.user))
        start, end = self.quiet_from, self.quiet_until
        now = local.time()
        inside = (start <= now < end) if start < end else (now >= start or now < end)
        if not inside:
            return None
        day = local.date() if now < end else local.date() + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, end), local.tzinfo)
