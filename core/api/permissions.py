"""Who may call the API: signed-in users with the model's Django permissions."""

from __future__ import annotations

from rest_framework.permissions import DjangoModelPermissions

from core.internals import ModelFromClassQueryset


class ModelPermissions(ModelFromClassQueryset, DjangoModelPermissions):
    """Reads need the model's ``view`` permission, writes its ``add``/``change``/``delete``.

    Anonymous requests are refused (401) before any permission is checked; which
    rows a permitted user sees is decided by ``visible_to(user)`` in the viewset.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }
