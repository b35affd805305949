from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from watch.models.choices import EmailState, Trigger


class Notification(models.Model):
    """Something a user should know, in their dashboard; e-mailed or put in the
    digest as they chose. ``key`` makes each one once per user (a job that runs
    twice never notifies twice). ``restricted`` and ``sensitive`` say what an
    e-mail about it may carry (watch.mail): nothing of a restricted case, and
    no sensitive detail ever."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    trigger = models.CharField(max_length=20, choices=Trigger.choices, verbose_name=_("trigger"))
    key = models.CharField(max_length=200, verbose_name=_("key"))
    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    text = models.TextField(
        help_text=_("As written for its user when it was made (see message)."), verbose_name=_("text")
    )
    message = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The sentence as a code and its values, written in the reader's language."),
        verbose_name=_("message"),
    )
    url = models.CharField(max_length=300, blank=True, verbose_name=_("URL"))
    restricted = models.BooleanField(default=False, verbose_name=_("restricted"))
    sensitive = models.BooleanField(default=False, verbose_name=_("sensitive"))
    urgent = models.BooleanField(default=False, verbose_name=_("urgent"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))
    email_state = models.CharField(
        max_length=8, choices=EmailState.choices, default=EmailState.NONE, verbose_name=_("e-mail state")
    )
    emailed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("e-mailed at"))
    in_digest = models.BooleanField(default=False, verbose_name=_("in the digest"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="notification_once_per_user",
                violation_error_message="This user was already notified of this.",
            )
        ]
        indexes = [
            # The unread count in every page's header.
            models.Index(fields=["user"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.trigger} #{self.pk}"

    @property
    def shown_text(self) -> str:
        """The sentence in the current language (and time zone)."""
        if not self.message:
            return self.text
        from watch.phrases import render

        return render(self.message)
