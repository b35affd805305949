"""Sign-in and permissions: Django's ModelBackend, with a user's permissions read in one query.

Django reads a user's own permissions and their groups' permissions in two
queries, on every request that checks one (every API call does). Here both
come in one: the same set, cached on the user object for the request as
Django does. A token request reads them in the token's own query
(core.api.authentication: ``permission_names`` as a subquery), so it makes none;
a signed-in browser's request reads them, and the user's language and time zone
(core.locale), in the query that loads its user from the session (``get_user``).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, OuterRef, Q, Value
from django.db.models.functions import Concat

from core.internals import cache_permissions, cached_permissions


def permission_names(user):
    """``"app_label.codename"`` of every permission ``user`` (a user, or ``OuterRef`` to one) holds,
    directly or through a group; not a superuser's implicit ones."""
    held = Permission.objects.filter(Q(user=user) | Q(group__user=user)).order_by().distinct()
    return held.values_list(Concat(F("content_type__app_label"), Value("."), F("codename")), flat=True)


def remember_permissions(user_obj, names) -> None:
    """Give ``user_obj`` the permissions read with it, as ``get_all_permissions`` would have cached
    them (a superuser's are every permission: left to be read when asked)."""
    if names is not None and user_obj.is_active and not user_obj.is_superuser:
        cache_permissions(user_obj, set(names))


class VigilModelBackend(ModelBackend):
    def get_user(self, user_id):
        """The session's user, with their permissions and preferences, in one query (Django's
        backend reads the user, then their permissions and their preferences in a query each)."""
        user = (
            get_user_model()
            ._default_manager.filter(pk=user_id)
            .select_related("preferences")
            .annotate(vigil_permissions=ArraySubquery(permission_names(OuterRef("pk"))))
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_permissions(user, user.vigil_permissions)
        try:
            user._vigil_preferences = user.preferences  # core.locale.preferences_of
        except ObjectDoesNotExist:
            user._vigil_preferences = None
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cached = cached_permissions(user_obj)
        if cached is None:
            if user_obj.is_superuser:
                found = Permission.objects.values_list("content_type__app_label", "codename")
                names = {f"{app_label}.{codename}" for app_label, codename in found}
            else:
                names = set(permission_names(user_obj))
            cached = cache_permissions(user_obj, names)
        return cached
