from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobFailure(models.Model):
    """A background job's attempt that raised: what ran, with what, and the error
    (data managers read these in admin; the job itself may be retried)."""

    job_id = models.BigIntegerField(db_index=True)
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=dict)
    attempt = models.PositiveIntegerField()
    error = models.TextField()
    traceback = models.TextField(blank=True)
    will_retry = models.BooleanField(default=False)
    failed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("job failure")
        ordering = ["-failed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.job_id}: {self.error[:60]}"


class OutboxMessage(models.Model):
    """An e-mail Vigil sent in development (EMAIL_BACKEND watch.mail.OutboxBackend):
    kept here for the dashboard's outbox page instead of leaving the machine."""

    to = models.TextField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    headers = models.JSONField(default=dict)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outbox message")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
