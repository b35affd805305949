"""Sign-in and permissions: Django's ModelBackend, with a user's permissions read in one query.

Django reads a user's own permissions and their groups' permissions in two
queries, on every request that checks one (every API call does). Here both
come in one: the same set, cached on the user object for the request as
Django does.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from core.internals import cache_permissions, cached_permissions


class VigilModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cached = cached_permissions(user_obj)
        if cached is None:
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            found = permissions.order_by().values_list("content_type__app_label", "codename").distinct()
            cached = cache_permissions(user_obj, {f"{app_label}.{codename}" for app_label, codename in found})
        return cached
