"""The base of every access-ruled queryset: ``visible_to(user)``.

``visible_to(user)`` is the model's access rule (``access(user)``, defined by
each app: casework.access decides who sees a case) AND "not in the bin": a
record deleted into the bin, or hanging off one (``model.bin_paths`` names the
lookups to the binnable records it depends on, "" for itself), is gone from
every list, page, search and export until a data manager restores it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


def not_in_bin(model: type[models.Model]) -> Q:
    condition = Q()
    for path in getattr(model, "bin_paths", ()):
        condition &= Q(**{f"{path}__deleted_at__isnull" if path else "deleted_at__isnull": True})
    return condition


class VisibleQuerySet(models.QuerySet):
    def access(self, user) -> Q:
        """The model's access rule, which each model's queryset writes. Fails closed:
        a model that forgets to write one shows nothing to anyone."""
        return Q(pk__in=[])

    def visible_to(self, user):
        return self.filter(not_in_bin(self.model), self.access(user))

    def in_bin(self):
        """Records deleted into the bin (binnable models only)."""
        return self.filter(deleted_at__isnull=False)


def visible(queryset, user):
    """``queryset.visible_to(user)`` where the model has an access rule; every row
    otherwise (governments and users are not confidential)."""
    return queryset.visible_to(user) if hasattr(queryset, "visible_to") else queryset
