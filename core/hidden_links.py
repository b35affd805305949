"""Links to records the user may not see, on pages and API answers of records they
may: a request of an open case made for a person held only in a restricted case
prints the link as ``HIDDEN_RECORD``, never by name — in the admin's pages and
lists, and in the API's names beside ids (docs/security.md)."""

from __future__ import annotations

from django.contrib.admin.views.main import ChangeList
from django.db.models import Exists, OuterRef
from django.db.models.base import ModelState

from core.querysets import visible

#: What an admin page prints for a related record the user may not see.
HIDDEN_RECORD = "(a record you may not see)"


class HiddenRecord:
    """Stands in for a related record the user may not see, on an admin page of a
    record they may (an open case's event that names a person held only in a
    restricted case): printed as ``HIDDEN_RECORD``, never by name. It keeps the id,
    so that saving the record it hangs from leaves the link as it was."""

    def __init__(self, model, pk, attname):
        self._meta, self.pk, self._state = model._meta, pk, ModelState()
        self._state.adding = False
        setattr(self, attname, pk)

    def __str__(self) -> str:
        return HIDDEN_RECORD

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return None  # whatever the record held is not for this user


def guarded_relations(model, names=None) -> list:
    """``model``'s many-to-one fields (of ``names``, when given) to models with an access rule."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one
        and (names is None or field.name in names)
        and hasattr(field.related_model._default_manager.all(), "visible_to")
    ]


def with_shown_relations(queryset, user, names=None):
    """``queryset`` annotated, for each link to a guarded model, with whether the user may
    see what it links to (``shown_<field>``): a changelist's masking in its own query."""
    flags = {}
    for field in guarded_relations(queryset.model, names):
        key = field.target_field.attname
        shown = visible(field.related_model._default_manager.all(), user).filter(**{key: OuterRef(field.attname)})
        flags[f"shown_{field.name}"] = Exists(shown)
    return queryset.annotate(**flags)


def mask_hidden_relations(objs, user, names=None) -> list:
    """``objs`` (of one model), each related record the user may not see replaced
    by a ``HiddenRecord``, read from ``with_shown_relations`` when the objects carry
    it, else one query per relation for all of them; the names of the masked fields
    are kept on each object as ``hidden_relations``."""
    objs = list(objs)
    if not objs:
        return objs
    for field in guarded_relations(type(objs[0]), names):
        related, key, flag = field.related_model, field.target_field.attname, f"shown_{field.name}"
        if hasattr(objs[0], flag):
            hidden = [obj for obj in objs if getattr(obj, field.attname) is not None and not getattr(obj, flag)]
        else:
            ids = {getattr(obj, field.attname) for obj in objs} - {None}
            rows = related._default_manager.filter(**{f"{key}__in": ids})
            shown = set(visible(rows, user).values_list(key, flat=True)) if ids else set()
            hidden = [obj for obj in objs if getattr(obj, field.attname) not in shown | {None}]
        for obj in hidden:
            field.set_cached_value(obj, HiddenRecord(related, getattr(obj, field.attname), key))
            obj.hidden_relations = {*getattr(obj, "hidden_relations", ()), field.name}
    return objs


class MaskingChangeList(ChangeList):
    """A changelist whose rows print a link to a record the user may not see as
    ``HIDDEN_RECORD`` (without a query more than Django's own)."""

    def get_queryset(self, request, exclude_parameters=None):
        return with_shown_relations(super().get_queryset(request, exclude_parameters), request.user)

    def get_results(self, request):
        super().get_results(request)
        self.result_list = mask_hidden_relations(self.result_list, request.user)
