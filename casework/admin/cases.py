"""Admin for cases: the case page with its team, people, requests, governments, notes and follow-ups; who saw and exported what."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from casework import services
from casework.access import can_manage_team
from casework.models import (
    Case,
    CaseMember,
    CaseNote,
    CaseSubject,
    CaseView,
    ExportLog,
    FollowUp,
    Involvement,
    StatedRequest,
)
from core.admin import AUDIT_FIELDS, HISTORY_ROWS, VigilAdmin, VigilStackedInline, VigilTabularInline


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
        """A case's history is the history of everything in it, from every app (events.case_history: by
        name, as casework imports no app above it)."""
        case_history = import_string("events.case_history.case_history")
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
