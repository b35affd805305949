"""Admin for casework, shaped like the work: a case page holds its people,
requests, governments and follow-ups; a request page holds its story; a
government's involvement holds its statements.

Request updates and position statements are only ever added, through
casework.services (the same functions as the API and the dashboard).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from casework import services
from casework.access import can_manage_team
from casework.models import (
    Actor,
    Case,
    CaseMember,
    CaseNote,
    CaseSubject,
    CaseView,
    ExportLog,
    FollowUp,
    Government,
    Intervention,
    Involvement,
    LegalArgument,
    LegalBasis,
    PositionStatement,
    RequestUpdate,
    StatedRequest,
)
from core.admin import AUDIT_FIELDS, HISTORY_ROWS, TranslationInline, VigilAdmin, VigilStackedInline, VigilTabularInline
from people.admin import NameSearchAdmin


class AddOnlyInline(VigilTabularInline):
    """Existing rows are shown read-only; new rows are added through a service
    (see ``ServiceInlinesAdmin``)."""

    show_change_link = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AddedElsewhereAdmin(VigilAdmin):
    """A read-only list of records that are only ever added, on their parent's page."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceInlinesAdmin(VigilAdmin):
    """Saves the new rows of add-only inlines through ``service_for_inline``."""

    def service_for_inline(self, form, request):  # pragma: no cover - each subclass says
        raise NotImplementedError

    def save_formset(self, request, form, formset, change):
        if not isinstance(formset.empty_form.instance, (RequestUpdate, PositionStatement)):
            return super().save_formset(request, form, formset, change)
        # The forms were validated with the model's own rules (Model.clean); the
        # service re-checks them inside its transaction.
        formset.new_objects = [
            self.service_for_inline(inline_form, request)
            for inline_form in formset.extra_forms
            if inline_form.has_changed() and not inline_form.cleaned_data.get("DELETE")
        ]
        formset.changed_objects, formset.deleted_objects = [], []  # read for the admin's change message


# ---------------------------------------------------------------- governments


@admin.register(Government)
class GovernmentAdmin(VigilAdmin):
    list_display = ("name", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("name", "country")


@admin.register(Actor)
class ActorAdmin(NameSearchAdmin):
    """Organisations and people other than governments, found by any name or spelling.
    No list of the events or sources they appear in: those belong to their cases."""

    list_display = ("name", "name_original", "kind", "role", "organisation", "government", "country")
    list_filter = ("kind",)
    list_select_related = ("organisation", "government")
    search_fields = ("name",)  # widened to every name and spelling by get_search_results
    autocomplete_fields = ("organisation", "government")


@admin.register(LegalBasis)
class LegalBasisAdmin(VigilAdmin):
    """The vocabulary of legal bases; data managers extend it."""

    list_display = ("name", "instrument")
    search_fields = ("name", "instrument", "summary")


class LegalArgumentFormSet(forms.BaseInlineFormSet):
    """An argument belongs to the case of the request or intervention it is made for."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.case_id = self.instance.case_id
        return form


class LegalArgumentInline(VigilTabularInline):
    model = LegalArgument
    formset = LegalArgumentFormSet
    fields = ("basis", "argument", "argued_by", "source")
    autocomplete_fields = ("basis", "argued_by", "source")
    verbose_name_plural = "legal arguments (each with its legal basis)"


class RequestLegalArgumentInline(LegalArgumentInline):
    fk_name = "request"


class InterventionLegalArgumentInline(LegalArgumentInline):
    fk_name = "intervention"


@admin.register(LegalArgument)
class LegalArgumentAdmin(VigilAdmin):
    list_display = ("basis", "argument", "argued_by", "request", "intervention", "case")
    list_filter = ("basis",)
    list_select_related = (
        "basis",
        "argued_by",
        "request__person",
        "intervention__government",
        "intervention__addressed_to_actor",
        "case",
    )
    search_fields = ("argument", "basis__name", "case__reference")
    autocomplete_fields = ("case", "basis", "request", "intervention", "argued_by", "source")


# ---------------------------------------------------------------------- cases


class TeamPermissionMixin:
    """Only who may manage the case's team (casework.access.can_manage_team) changes it."""

    def _case(self, obj):
        return obj.case if isinstance(obj, CaseMember) else obj

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and can_manage_team(request.user, self._case(obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_manage_team(request.user, self._case(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and can_manage_team(request.user, self._case(obj))


class CaseMemberInline(TeamPermissionMixin, VigilTabularInline):
    model = CaseMember
    fields = ("user",)
    autocomplete_fields = ("user",)
    verbose_name_plural = "team (who may see the case when it is restricted)"
    show_change_link = False


class CaseSubjectInline(VigilTabularInline):
    model = CaseSubject
    fields = ("person", "role")
    autocomplete_fields = ("person",)


class StatedRequestInline(VigilTabularInline):
    model = StatedRequest
    fields = ("person", "category", "summary", "first_stated_on", "first_stated_on_precision", "status")
    readonly_fields = ("status",)
    autocomplete_fields = ("person",)


class InvolvementInline(VigilTabularInline):
    model = Involvement
    fields = ("government", "role", "notes")
    autocomplete_fields = ("government",)


class FollowUpInline(VigilTabularInline):
    model = FollowUp
    fields = ("title", "due_on", "assignee", "done_at")
    autocomplete_fields = ("assignee",)


class CaseNoteInline(VigilStackedInline):
    model = CaseNote
    fields = ("body", "author")
    autocomplete_fields = ("author",)
    show_change_link = False


@admin.register(Case)
class CaseAdmin(VigilAdmin):
    list_display = ("reference", "title", "status", "priority", "confidentiality", "lead", "next_review_on")
    list_display_links = ("reference", "title")
    list_filter = ("status", "priority", "confidentiality", "involvements__role")
    list_select_related = ("lead",)
    search_fields = ("reference", "title", "summary")
    autocomplete_fields = ("lead",)
    date_hierarchy = "opened_on"
    readonly_fields = ("reference", *AUDIT_FIELDS)
    inlines = (
        CaseMemberInline,
        CaseSubjectInline,
        StatedRequestInline,
        InvolvementInline,
        FollowUpInline,
        CaseNoteInline,
    )
    fieldsets = (
        (None, {"fields": ("reference", "title", "summary", "tags")}),
        (_("Status"), {"fields": ("status", "priority", "confidentiality", "lead")}),
        (_("Dates"), {"fields": ("opened_on", "closed_on", "next_review_on")}),
        (_("Record"), {"classes": ("collapse",), "fields": AUDIT_FIELDS}),
    )

    def get_readonly_fields(self, request, obj=None):
        if can_manage_team(request.user, obj):
            return self.readonly_fields
        return (*self.readonly_fields, "lead", "confidentiality")

    def readable_history(self, request, obj):
        """A case's history is the history of everything in it (events.case_history)."""
        from events.case_history import case_history

        return case_history(obj, user=request.user, limit=HISTORY_ROWS)

    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, object_id, {**(extra_context or {}), "case_wide": True})

    def has_delete_permission(self, request, obj=None):
        """Binning a case needs the right to change its team (finding 8 of issue 10)."""
        return super().has_delete_permission(request, obj) and can_manage_team(request.user, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form checks lead and confidentiality with the same rule as the API
        (``services.case_control_check``): a lead must hold the case lead role."""
        form_class = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class CaseControlForm(form_class):
            def clean(self):
                data = super().clean()
                asked = {
                    name: data[name] for name in ("lead", "confidentiality") if name in self.fields and name in data
                }
                try:
                    services.case_control_check(user=user, case=self.instance, **asked)
                except ValidationError as error:
                    self.add_error(None, error)
                except PermissionDenied as error:
                    self.add_error(None, str(error))
                return data

        return CaseControlForm


@admin.register(CaseView)
class CaseViewAdmin(admin.ModelAdmin):
    """Who saw which restricted case: read-only, for data managers (casework.view_caseview)."""

    list_display = ("at", "username", "case_reference", "what", "channel", "ip_address")
    list_filter = ("channel", "what")
    search_fields = ("username", "case_reference", "ip_address")
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(CaseViewAdmin):
    """Who exported what: read-only, for data managers (casework.view_exportlog)."""

    list_display = ("at", "username", "what", "rows", "channel", "ip_address", "query")
    list_filter = ("channel", "what")
    search_fields = ("username", "ip_address", "query")


@admin.register(CaseMember)
class CaseMemberAdmin(VigilAdmin):
    list_display = ("user", "case")
    list_select_related = ("user", "case")
    search_fields = ("user__username", "case__reference", "case__title")
    autocomplete_fields = ("user", "case")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm("casework.manage_team")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_manage_team(request.user, obj and obj.case)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and can_manage_team(request.user, obj and obj.case)


@admin.register(CaseSubject)
class CaseSubjectAdmin(VigilAdmin):
    list_display = ("person", "role", "case")
    list_filter = ("role",)
    list_select_related = ("person", "case")
    search_fields = ("person__display_name", "case__reference", "case__title")
    autocomplete_fields = ("person", "case")


# ------------------------------------------------------------------- requests


class RequestUpdateInline(AddOnlyInline):
    model = RequestUpdate
    fields = ("occurred_on", "occurred_on_precision", "previous_status", "status", "note", "source", "recorded_by")
    readonly_fields = ("previous_status", "recorded_by")
    autocomplete_fields = ("source",)
    verbose_name_plural = "story: each change of status (add a row to record a new one)"


class PositionOnRequestInline(AddOnlyInline):
    model = PositionStatement
    fk_name = "request"
    fields = ("involvement", "stated_on", "stated_on_precision", "stance", "condition", "source")
    verbose_name_plural = "governments' positions on this request"

    def has_add_permission(self, request, obj=None):
        return False  # recorded from the government's involvement, where the stance belongs


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
    inlines = (RequestUpdateInline, PositionOnRequestInline, RequestLegalArgumentInline, TranslationInline)
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

    def service_for_inline(self, form, request):
        data = form.cleaned_data
        return services.request_update_status(
            request=form.instance.request,
            status=data["status"],
            occurred_on=data.get("occurred_on"),
            occurred_on_precision=data["occurred_on_precision"],
            note=data.get("note", ""),
            source=data.get("source"),
            user=request.user,
        )


@admin.register(RequestUpdate)
class RequestUpdateAdmin(AddedElsewhereAdmin):
    """The story of every request, read-only: updates are added on the request's page."""

    list_display = ("request", "occurred_on", "previous_status", "status", "recorded_by")
    list_filter = ("status",)
    list_select_related = ("request__person", "recorded_by")
    search_fields = ("note", "request__summary", "request__person__display_name")
    date_hierarchy = "occurred_on"


# ------------------------------------------------------------- governments in a case


class PositionStatementInline(AddOnlyInline):
    model = PositionStatement
    fk_name = "involvement"
    fields = (
        "stated_on",
        "stated_on_precision",
        "request",
        "stance",
        "condition",
        "condition_request",
        "statement_translation",
        "spoken_by",
        "source",
    )
    autocomplete_fields = ("request", "condition_request", "spoken_by", "source")
    verbose_name_plural = "statements of position (add a row to record a new one; the latest is current)"


@admin.register(Involvement)
class InvolvementAdmin(ServiceInlinesAdmin):
    list_display = ("government", "role", "case")
    list_filter = ("role",)
    list_select_related = ("government", "case")
    search_fields = ("government__name", "case__reference", "case__title")
    autocomplete_fields = ("case", "government")
    inlines = (PositionStatementInline,)

    def service_for_inline(self, form, request):
        data = form.cleaned_data
        return services.position_record(
            involvement=form.instance.involvement,
            stance=data["stance"],
            stated_on=data.get("stated_on"),
            stated_on_precision=data["stated_on_precision"],
            request=data.get("request"),
            condition=data.get("condition", ""),
            condition_request=data.get("condition_request"),
            statement_translation=data.get("statement_translation", ""),
            spoken_by=data.get("spoken_by"),
            source=data.get("source"),
            user=request.user,
        )


@admin.register(PositionStatement)
class PositionStatementAdmin(AddedElsewhereAdmin):
    """Positions, read-only: statements are added on the government's involvement page."""

    list_display = ("involvement", "request", "stance", "stated_on", "source")
    list_filter = ("stance",)
    list_select_related = ("involvement__government", "involvement__case", "request__person", "source")
    search_fields = ("condition", "statement_original", "statement_translation", "involvement__government__name")
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


@admin.register(CaseNote)
class CaseNoteAdmin(VigilAdmin):
    list_display = ("__str__", "author", "case", "created_at")
    list_select_related = ("author", "case")
    search_fields = ("body", "case__reference")
    autocomplete_fields = ("case", "author")
    date_hierarchy = "created_at"
    inlines = (TranslationInline,)


@admin.register(FollowUp)
class FollowUpAdmin(VigilAdmin):
    list_display = ("title", "due_on", "assignee", "done_at", "case")
    list_filter = (("done_at", admin.EmptyFieldListFilter), "due_on")
    list_select_related = ("assignee", "case")
    search_fields = ("title", "notes", "case__reference")
    autocomplete_fields = ("case", "assignee")
    date_hierarchy = "due_on"
