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
