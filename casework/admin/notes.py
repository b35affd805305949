"""Admin for a case's notes and follow-ups (usually edited on the case page)."""

from django.contrib import admin

from casework.models import (
    CaseNote,
    FollowUp,
)
from core.admin import TranslationInline, VigilAdmin


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
