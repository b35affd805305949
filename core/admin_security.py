"""Security records in the admin, registered by core.apps at start-up:

- API tokens, replacing django-rest-knox's own page for its unused model: who
  holds which, since when, until when, last used when, for data managers and
  superusers; delete one to revoke it. No token is added here: the token itself exists only in the answer that
  makes it (the API's token endpoint, the account page).
- Two-factor devices, replacing django-otp's page, which showed each device's
  secret and QR code to anyone allowed to change it: only data managers (and
  superusers) see the list (whose device, since when, last used), never a
  secret, and reset a lost device by deleting it (logged in the admin's action
  log); its owner sets up a new one, with the password, at the next sign-in.
"""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from core.access import sees_every_case
from core.models import ApiToken


class DataManagersOnly:
    """Seen and deleted by data managers and superusers (those who see every case), nobody else."""

    def _data_manager(self, request) -> bool:
        return sees_every_case(request.user)

    def has_module_permission(self, request):
        return self._data_manager(request)

    def has_view_permission(self, request, obj=None):
        return self._data_manager(request)

    def has_delete_permission(self, request, obj=None):
        return self._data_manager(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ApiTokenAdmin(DataManagersOnly, admin.ModelAdmin):
    """Revoke a token: delete it (nothing else is editable; the token itself is never stored)."""

    list_display = ("token_key", "user", "name", "created", "expiry", "last_used", "second_factor")
    list_select_related = ("user",)
    search_fields = ("user__username", "name", "token_key")
    list_filter = ("expiry", "second_factor")
    fields = ("token_key", "user", "name", "created", "expiry", "last_used", "second_factor")
    readonly_fields = fields


class DeviceAdmin(DataManagersOnly, admin.ModelAdmin):
    """Reset a lost device: delete it (the change view shows only who and when)."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "name")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields
    actions = ["delete_selected"]


def register(site: admin.AdminSite = admin.site) -> None:
    for model, model_admin in ((AuthToken, None), (ApiToken, ApiTokenAdmin), (TOTPDevice, DeviceAdmin)):
        if site.is_registered(model):
            site.unregister(model)
        if model_admin is not None:
            site.register(model, model_admin)
