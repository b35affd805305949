from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobFailure(models.Model):
    """A background job's attempt that raised: what ran, with what, and the error
    (data managers read these in admin; the job itself may be retried)."""

    job_id = models.BigIntegerField(db_index=True, verbose_name=_("job ID"))
    task_name = models.CharField(max_length=200, verbose_name=_("task name"))
    args = models.JSONField(default=dict, verbose_name=_("arguments"))
    attempt = models.PositiveIntegerField(verbose_name=_("attempt"))
    error = models.TextField(verbose_name=_("error"))
    traceback = models.TextField(blank=True, verbose_name=_("traceback"))
    will_retry = models.BooleanField(default=False, verbose_name=_("will retry"))
    failed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("failed at"))

    class Meta:
        verbose_name = _("job failure")
        verbose_name_plural = _("job failures")
        ordering = ["-failed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.job_id}: {self.error[:60]}"


class OutboxMessage(models.Model):
    """An e-mail Vigil sent in development (EMAIL_BACKEND watch.mail.OutboxBackend):
    kept here for the dashboard's outbox page instead of leaving the machine."""

    to = models.TextField(verbose_name=_("recipients"))
    subject = models.CharField(max_length=300, verbose_name=_("e-mail subject"))
    body = models.TextField(verbose_name=_("body"))
    headers = models.JSONField(default=dict, verbose_name=_("headers"))
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
