"""The translations of a record's free text, as an inline on the record's admin page
(re-exported by ``core.admin``, where app admins import it from)."""

from __future__ import annotations

from django import forms
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from django.forms import Textarea
from django.utils.text import capfirst

from core.models import TextTranslation


class TranslationInline(GenericTabularInline):
    """The translations of a record's free text, edited on the record's own page:
    they are part of it, so the record's own permissions decide (view to read,
    change to add, correct or remove one), and its visibility rule already
    decided whether the page opens at all."""

    model = TextTranslation
    extra = 0
    fields = ("field", "language", "text", "kind", "translated_by", "checked", "checked_by")
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 50})}}

    def _may(self, request, action: str) -> bool:
        opts = self.parent_model._meta
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view")

    def has_add_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "change")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "field":
            names = self.parent_model.translatable_fields
            choices = [(name, capfirst(self.parent_model._meta.get_field(name).verbose_name)) for name in names]
            return forms.ChoiceField(choices=choices, label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
