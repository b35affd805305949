"""Admin for data managers: failed jobs with their errors, every background
work (core.background) with its progress and error, webhooks and their
delivery logs, forced-return alerts. Read-only but for webhooks."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Case, F, TextField, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import sees_sensitive
from core.models import BackgroundWork
from watch.models import Alert, JobFailure, Webhook, WebhookDelivery

SENSITIVE_SUMMARY = "A sensitive detail changed."


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobFailure)
class JobFailureAdmin(ReadOnlyAdmin):
    list_display = ["failed_at", "task_name", "job_id", "attempt", "will_retry", "error"]
    list_filter = ["task_name", "will_retry"]
    search_fields = ["task_name", "error"]
    fields = ["failed_at", "task_name", "job_id", "args", "attempt", "will_retry", "error", "traceback"]
    readonly_fields = fields


@admin.register(BackgroundWork)
class BackgroundWorkAdmin(ReadOnlyAdmin):
    """Every run of long work, whoever started it; "state: failed" lists the failed ones with their error."""

    list_display = ["created_at", "kind", "what", "owner", "state", "done", "total", "attempts", "error"]
    list_filter = ["state", "kind"]
    list_select_related = ["owner"]
    search_fields = ["kind", "title", "error"]
    fields = [
        "kind",
        "what",
        "owner",
        "state",
        "done",
        "total",
        "said",
        "result_url",
        "error",
        "job_id",
        "attempts",
        "created_at",
        "started_at",
        "updated_at",
        "finished_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("title"), ordering="title")
    def what(self, work):
        return work.shown_title  # kept as a phrase: in the reader's language

    @admin.display(description=_("message"))
    def said(self, work):
        return work.shown_message


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["created_at", "attempts", "last_status_code", "last_error", "delivered_at", "failed_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-created_at"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["url", "owner", "scope", "active", "consecutive_failures", "disabled_at"]
    list_filter = ["active", "scope"]
    autocomplete_fields = ["owner", "cases"]
    fields = ["url", "secret", "owner", "scope", "cases", "active", "consecutive_failures", "disabled_at"]
    readonly_fields = ["consecutive_failures", "disabled_at"]

    def save_model(self, request, obj, form, change):
        if obj.active:
            obj.disabled_at = None
            obj.consecutive_failures = 0 if "active" in form.changed_data else obj.consecutive_failures
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "webhook", "attempts", "last_status_code", "delivered_at", "failed_at"]
    list_filter = ["webhook"]
    fields = ["webhook", "created_at", "attempts", "last_status_code", "last_error", "delivered_at", "failed_at", "log"]
    readonly_fields = fields


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["raised_at", "rule", "case", "escalation_level", "acknowledged_by", "acknowledged_at"]
    list_filter = ["rule", "escalation_level"]
    fields = [
        "rule",
        "case",
        "person",
        "what_happened",
        "raised_at",
        "escalation_level",
        "escalated_at",
        "acknowledged_by",
        "acknowledged_at",
        "acknowledgement_note",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        """A summary that names a sensitive detail (a risk level) only for who may read it,
        as on the home page's "At risk now" (core.exposure.SENSITIVE_ROWS)."""
        from watch.selectors import alerts_for

        summary = F("summary")
        if not sees_sensitive(request.user):
            summary = Case(
                When(sensitive=True, then=Value(SENSITIVE_SUMMARY)), default=F("summary"), output_field=TextField()
            )
        return alerts_for(user=request.user).annotate(shown_summary=summary)

    @admin.display(description=_("summary"))
    def what_happened(self, alert):
        if alert.shown_summary != alert.summary:  # withheld: a sensitive detail
            return gettext(SENSITIVE_SUMMARY)
        return alert.shown_summary_text
