"""Admin base classes of casework: add-only inlines, pages added elsewhere, inlines saved through services."""

from casework.models import (
    PositionStatement,
    RequestUpdate,
)
from core.admin import VigilAdmin
from core.admin_inlines import AddOnlyInline, ShownOnlyInline

__all__ = ["AddOnlyInline", "AddedElsewhereAdmin", "ServiceInlinesAdmin", "ShownOnlyInline"]


class AddedElsewhereAdmin(VigilAdmin):
    """A read-only list of records that are only ever added, on their parent's page."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceInlinesAdmin(VigilAdmin):
    """Saves the new rows of add-only inlines through ``service_for_inline``, which is handed the
    row's validated fields (the inline's own ``fields``, none of the formset's) to pass on as ``**data``."""

    def service_for_inline(self, form, data: dict, request):  # pragma: no cover - each subclass says
        raise NotImplementedError

    def save_formset(self, request, form, formset, change):
        if not isinstance(formset.empty_form.instance, (RequestUpdate, PositionStatement)):
            return super().save_formset(request, form, formset, change)
        # The forms were validated with the model's own rules (Model.clean); the
        # service re-checks them inside its transaction.
        # The row's own fields: those of the form class (the formset adds the id, the parent's key and
        # DELETE to each form) that are the model's (not the form's hidden seen_version).
        own = [name for name in formset.form.base_fields if name in {f.name for f in formset.model._meta.fields}]
        formset.new_objects = [
            self.service_for_inline(inline_form, {name: inline_form.cleaned_data[name] for name in own}, request)
            for inline_form in formset.extra_forms
            if inline_form.has_changed() and not inline_form.cleaned_data.get("DELETE")
        ]
        formset.changed_objects, formset.deleted_objects = [], []  # read for the admin's change message
