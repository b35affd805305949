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

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    key = models.CharField(max_length=200)
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    text = models.TextField(help_text=_("As written for its user when it was made (see message)."))
    message = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The sentence as a code and its values, written in the reader's language."),
    )
    url = models.CharField(max_length=300, blank=True)
    restricted = models.BooleanField(default=False)
    sensitive = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=8, choices=EmailState.choices, default=EmailState.NONE)
    emailed_at = models.DateTimeField(null=True, blank=True)
    in_digest = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("notification")
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
