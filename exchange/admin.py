"""Admin for exchange: saved partner export profiles (data managers: the exchange app's
permissions are theirs alone, core/roles.py). Import batches are in the bin once undone."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from core.admin import VigilAdmin
from core.forms import VersionedModelForm
from exchange import exports
from exchange.models import ExportProfile


class ExportProfileAdminForm(VersionedModelForm):
    """The allow-list checked as the dashboard and the API check it (``exports.profile_check``)."""

    class Meta:
        model = ExportProfile
        fields = ("name", "description", "fields")

    user = None

    def clean(self):
        cleaned = super().clean()
        if self.user is None or "fields" not in cleaned:
            return cleaned
        try:
            cleaned["name"], cleaned["fields"] = exports.profile_check(
                user=self.user, name=cleaned.get("name", ""), fields=cleaned["fields"], profile=self.instance
            )
        except PermissionDenied as error:
            raise ValidationError(str(error)) from None
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                self.add_error(key if key in self.fields else "fields", [f"{key}: {p}" for p in problems])
        return cleaned


@admin.register(ExportProfile)
class ExportProfileAdmin(VigilAdmin):
    """Saved partner profiles: what each partner's export carries."""

    form = ExportProfileAdminForm
    list_display = ("name", "description", "updated_at")
    search_fields = ("name", "description")
    fields = ("name", "description", "fields")
    readonly_fields = ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        exports.profile_save(user=request.user, name=obj.name, fields=obj.fields, description=obj.description,
                             profile=obj)  # fmt: skip
        if not change:
            ExportProfile.objects.filter(pk=obj.pk).update(created_by=request.user)

    def delete_model(self, request, obj):
        exports.profile_delete(user=request.user, profile=obj)
