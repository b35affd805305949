"""Security records in the admin: API tokens (registered by core.apps at start-up, replacing
django-rest-knox's own page for its unused model): who holds which, since when,
until when, last used when; delete one to revoke it. No token is added here:
the token itself exists only in the answer that makes it (the API's token
endpoint, the account page)."""

from __future__ import annotations

from django.contrib import admin
from knox.models import AuthToken

from core.models import ApiToken


class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("token_key", "user", "name", "created", "expiry", "last_used")
    list_select_related = ("user",)
    search_fields = ("user__username", "name", "token_key")
    list_filter = ("expiry",)
    fields = ("token_key", "user", "name", "created", "expiry", "last_used")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def register(site: admin.AdminSite = admin.site) -> None:
    if site.is_registered(AuthToken):
        site.unregister(AuthToken)
    if not site.is_registered(ApiToken):
        site.register(ApiToken, ApiTokenAdmin)
