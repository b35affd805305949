"""Admin for requests and their story, governments' involvements and statements, interventions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casework import services
from casework.admin.actors import InterventionLegalArgumentInline, RequestLegalArgumentInline
from casework.admin.base import AddedElsewhereAdmin, AddOnlyInline, ServiceInlinesAdmin, ShownOnlyInline
from casework.models import (
    Intervention,
    Involvement,
    PositionStatement,
    RequestUpdate,
    StatedRequest,
)
from core.admin import AUDIT_FIELDS, TranslationInline, VigilAdmin


class RequestStoryInline(ShownOnlyInline):
    model = RequestUpdate
    fields = ("occurred_on", "occurred_on_precision", "previous_status", "status", "note", "source", "recorded_by")
    verbose_name_plural = "story: each change of status"


class RequestUpdateInline(AddOnlyInline):
    model = RequestUpdate
    fields = ("occurred_on", "occurred_on_precision", "status", "note", "source")
    autocomplete_fields = ("source",)
    verbose_name = "new status"
    verbose_name_plural = "record a new status (add a row)"


class PositionOnRequestInline(ShownOnlyInline):
    """Recorded from the government's involvement, where the stance belongs."""

    model = PositionStatement
    fk_name = "request"
    fields = ("involvement", "stated_on", "stated_on_precision", "stance", "condition", "source")
    verbose_name_plural = "governments' positions on this request"


class StalledFilter(admin.SimpleListFilter):
    """The one meaning of "stalled" (``StatedRequestQuerySet.stalled``), as on the dashboard and in the API."""

    title = "stalled"
    parameter_name = "stalled"

    def lookups(self, request, model_admin):
        return [("yes", "stalled"), ("supplies", "waiting supplies"), ("no", "moving or settled")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stalled()
        if self.value() == "supplies":
            return queryset.waiting_supplies()
        if self.value() == "no":
            return queryset.not_stalled()
        return queryset


@admin.register(StatedRequest)
class StatedRequestAdmin(ServiceInlinesAdmin):
    list_display = ("summary", "person", "category", "status", "addressed_to", "first_stated_on", "case")
    list_filter = (StalledFilter, "status", "category", "freely_expressed", "channel")
    list_select_related = ("person", "addressed_to", "case")
    search_fields = ("summary", "words", "person__display_name", "case__reference")
    autocomplete_fields = ("case", "person", "addressed_to", "freely_verified_by")
    date_hierarchy = "first_stated_on"
    readonly_fields = ("status", "status_changed_at", *AUDIT_FIELDS)
    inlines = (
        RequestStoryInline,
        RequestUpdateInline,
        PositionOnRequestInline,
        RequestLegalArgumentInline,
        TranslationInline,
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "case",
                    "person",
                    "category",
                    "summary",
                    "words",
                    "words_language",
                    "destination_country",
                    "addressed_to",
                )
            },
        ),
        (_("First stated"), {"fields": (("first_stated_on", "first_stated_on_precision"), "channel")}),
        (_("Where it stands"), {"fields": ("status", "status_changed_at")}),
        (_("Free will"), {"fields": ("freely_expressed", "freely_verified_by", "freely_verified_on")}),
        (_("Record"), {"classes": ("collapse",), "fields": AUDIT_FIELDS}),
    )

    def service_for_inline(self, form, data, request):
        return services.request_update_status(request=form.instance.request, **data, user=request.user)


@admin.register(RequestUpdate)
class RequestUpdateAdmin(AddedElsewhereAdmin):
    """The story of every request, read-only: updates are added on the request's page."""

    list_display = ("request", "occurred_on", "previous_status", "status", "recorded_by")
    list_filter = ("status",)
    list_select_related = ("request__person", "recorded_by")
    search_fields = ("note", "request__summary", "request__person__display_name")
    date_hierarchy = "occurred_on"


# ------------------------------------------------------------- governments in a case


POSITION_FIELDS = (
    "stated_on",
    "stated_on_precision",
    "request",
    "stance",
    "condition",
    "condition_request",
    "statement_original",
    "statement_language",
    "spoken_by",
    "source",
)


class PositionStatementsShownInline(ShownOnlyInline):
    model = PositionStatement
    fk_name = "involvement"
    fields = POSITION_FIELDS
    verbose_name_plural = "statements of position (the latest is current)"


class PositionStatementInline(AddOnlyInline):
    model = PositionStatement
    fk_name = "involvement"
    fields = POSITION_FIELDS
    autocomplete_fields = ("request", "condition_request", "spoken_by", "source")
    verbose_name = "new statement"
    verbose_name_plural = "record a new statement (add a row)"


@admin.register(Involvement)
class InvolvementAdmin(ServiceInlinesAdmin):
    list_display = ("government", "role", "case")
    list_filter = ("role",)
    list_select_related = ("government", "case")
    search_fields = ("government__name", "case__reference", "case__title")
    autocomplete_fields = ("case", "government")
    inlines = (PositionStatementsShownInline, PositionStatementInline)

    def service_for_inline(self, form, data, request):
        return services.position_record(involvement=form.instance.involvement, **data, user=request.user)


@admin.register(PositionStatement)
class PositionStatementAdmin(AddedElsewhereAdmin):
    """Positions, read-only: statements are added on the government's involvement page."""

    list_display = ("involvement", "request", "stance", "stated_on", "source")
    list_filter = ("stance",)
    list_select_related = ("involvement__government", "involvement__case", "request__person", "source")
    search_fields = ("condition", "statement_original", "translations__text", "involvement__government__name")
    date_hierarchy = "stated_on"
    inlines = (TranslationInline,)


# ------------------------------------------------------------- what the team did


@admin.register(Intervention)
class InterventionAdmin(VigilAdmin):
    list_display = ("__str__", "kind", "government", "status", "occurred_on", "case")
    list_filter = ("kind", "status")
    list_select_related = ("government", "addressed_to_actor", "case")
    search_fields = ("asked", "case__reference", "case__title")
    autocomplete_fields = ("case", "government", "addressed_to_actor", "request", "response", "made_by")
    inlines = (InterventionLegalArgumentInline,)
    date_hierarchy = "occurred_on"
