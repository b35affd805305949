"""Nothing lost on delete: the bin.

Deleting a case, person, request, event or source (from the admin, the API or
the dashboard) moves it to the bin: it and everything hanging off it leave
every ``visible_to()`` (core/querysets.py) but stay in the database, whole. A
data manager restores it with everything it had, or purges it for good; each
of the three is recorded by history with its user and channel, and history
keeps every row a purge removes.
"""

from __future__ import annotations

import logging

from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.models import BinnableModel

log = logging.getLogger("vigil.bin")

RESTORE = "casework.restore_from_bin"
PURGE = "casework.purge_from_bin"


#: The refusal of a delete that would touch what the user may not see: it neither names nor counts them.
TOUCHES_HIDDEN = gettext_lazy(
    "Other records you may not see depend on this: it cannot be deleted by you. Ask a data manager."
)


def touches_hidden(objs, *, user) -> bool:
    """Whether deleting (or binning) ``objs`` would delete, protect or hide a record
    ``user`` may not see (by the access rule: what is already in the bin counts as
    seen). Django's collector finds every row the delete reaches, as the admin's
    confirmation page would list it."""
    objs = list(objs)
    if not objs:
        return False
    collector = NestedObjects(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    reached: dict[type[models.Model], set] = {}
    for model, instances in collector.data.items():
        reached.setdefault(model, set()).update(instance.pk for instance in instances)
    for instance in collector.protected:
        reached.setdefault(type(instance), set()).add(instance.pk)
    for model, pks in reached.items():
        rows = model._default_manager.filter(pk__in=pks)
        if hasattr(rows, "access") and rows.filter(rows.access(user)).count() != len(pks):
            return True
    return False


def check_deletable(objs, *, user) -> None:
    """Refuse (PermissionDenied, with ``TOUCHES_HIDDEN``) a delete that touches a hidden record."""
    if touches_hidden(objs, user=user):
        raise PermissionDenied(TOUCHES_HIDDEN)


def binnable_models() -> list[type[BinnableModel]]:
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, BinnableModel)]


def is_binnable(obj_or_model) -> bool:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return issubclass(model, BinnableModel)


@transaction.atomic
def bin_move(obj: BinnableModel, *, user) -> None:
    """Move ``obj`` to the bin (a queryset update: the history trigger records it).
    Refused when it would hide something ``user`` may not see (``check_deletable``)."""
    if not obj.may_bin(user):
        raise PermissionDenied(
            gettext("You may not move this %(record)s to the bin.") % {"record": obj._meta.verbose_name}
        )
    check_deletable([obj], user=user)
    type(obj).objects.filter(pk=obj.pk).update(
        deleted_at=timezone.now(), deleted_by=user if user is not None and user.is_authenticated else None
    )
    log.info("%s moved %s #%s to the bin", user, obj._meta.label, obj.pk)


@transaction.atomic
def bin_restore(obj: BinnableModel, *, user) -> None:
    """Bring ``obj`` back, with everything hanging off it (which never left)."""
    if not user.has_perm(RESTORE):
        raise PermissionDenied(gettext("Only a data manager restores from the bin."))
    restore_from_bin = getattr(obj, "restore_from_bin", None)  # a model's own way back (a merged person)
    if restore_from_bin is not None and restore_from_bin(user=user):
        return
    type(obj).objects.filter(pk=obj.pk).update(deleted_at=None, deleted_by=None)
    log.info("%s restored %s #%s from the bin", user, obj._meta.label, obj.pk)


@transaction.atomic
def bin_purge(obj: BinnableModel, *, user) -> None:
    """Destroy ``obj`` (and what cascades from it) for good. Only from the bin,
    only with the purge permission; history keeps every row it removes."""
    if not user.has_perm(PURGE):
        raise PermissionDenied(gettext("Purging from the bin needs the purge permission."))
    if not obj.in_bin:
        raise ValidationError(gettext("Only what is in the bin can be purged: delete it first."))
    try:
        obj.delete()
    except ProtectedError as error:
        blockers = sorted({str(blocker._meta.verbose_name_plural) for blocker in error.protected_objects})
        raise ValidationError(
            gettext("Still used by %(records)s: purge or change those first.") % {"records": ", ".join(blockers)}
        ) from None
    log.warning("%s purged %s #%s from the bin", user, obj._meta.label, obj.pk)


def bin_contents(model: type[models.Model]):
    """What ``model`` has in the bin, latest first."""
    return model.objects.filter(deleted_at__isnull=False).select_related("deleted_by").order_by("-deleted_at")
