"""Inlines for records that are only ever added (a request's story, a government's
statements): the existing rows listed read-only (``ShownOnlyInline``: each reported date
one column as written, "Q4 2025"), the new ones added beside them (``AddOnlyInline``),
each through a service (``casework.admin.ServiceInlinesAdmin``)."""

from __future__ import annotations

from django import forms

from core.admin import VigilTabularInline


class ShownRowsFormSet(forms.BaseInlineFormSet):
    """The rows of a ``ShownOnlyInline``: only shown, so what a POST says of them is not
    read (a form posted without them is as good), under a prefix of their own (the
    rows added beside them keep theirs)."""

    @classmethod
    def get_default_prefix(cls):
        return f"{super().get_default_prefix()}_shown"

    def __init__(self, data=None, files=None, *args, **kwargs):
        super().__init__(None, None, *args, **kwargs)

    def is_valid(self):
        return True


class ShownOnlyInline(VigilTabularInline):
    """Existing rows, read-only: each reported date one column as written ("Q4 2025")."""

    formset = ShownRowsFormSet
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AddOnlyInline(VigilTabularInline):
    """New rows only, each added through a service (see ``ServiceInlinesAdmin``); the
    existing ones are listed, read-only, by a ``ShownOnlyInline`` above it."""

    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
