"""Every field of every model, sorted by who may read it: an allow-list.

- ``SHOWN``: shown to every user who may see the record (admin, API, dashboard, history, exports);
- ``SENSITIVE``: only to users with ``people.view_sensitive`` (``core.access.sees_sensitive``);
- ``NEVER``: never exposed as a field: derived columns (search keys), the bin's
  bookkeeping, who recorded a record, and the data managers' own logs.

A field not listed here is not classified, and ``tests/core/test_exposure.py`` fails
until someone decides which it is (in ``core/exposure/classification.py``): a
new field is never shown by default through a forgotten deny-list. The classification drives the admin's forms,
lists and filters (``core.admin.VigilAdmin.hidden_fields``), the API's
serializers (``core.api.serializers.VigilModelSerializer``), history pages
(``core.history.readable_history``) and the CSV export (its columns are shown
fields, a test checks it).

``SENSITIVE_ROWS`` are whole records that are sensitive by their values (a
service number, a welfare incident): the access rules hide them (people and
events querysets), and history hides what such a record once held.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from core.exposure.classification import EXPOSURE, NEVER, SENSITIVE, SENSITIVE_ROWS, SHOWN

__all__ = [
    "EXPOSURE",
    "NEVER",
    "SENSITIVE",
    "SENSITIVE_ROWS",
    "SENSITIVE_VALUE_REFUSED",
    "SHOWN",
    "api_fields",
    "fields",
    "guarded_values",
    "hidden_from",
    "is_sensitive_row",
    "redact",
]


def fields(label: str, kind: str) -> tuple[str, ...]:
    """The fields of model ``label`` ("people.Person") of one kind (SHOWN, SENSITIVE, NEVER)."""
    return EXPOSURE[label].get(kind, ())


def api_fields(label: str, *extra: str) -> tuple[str, ...]:
    """An API serializer's ``Meta.fields``: ``id``, ``url``, the model's shown and
    sensitive fields (the sensitive ones then dropped for who may not read them), and
    ``extra`` (what the serializer nests or computes). Never-exposed fields never are."""
    readable = (*fields(label, SHOWN), *fields(label, SENSITIVE), *extra)
    return tuple(dict.fromkeys(("id", "url", *readable)))


def hidden_from(model, user) -> set[str]:
    """Field names of ``model`` that ``user`` may not read: never-exposed ones, and
    sensitive ones without ``people.view_sensitive``. Models not classified (users,
    history tables) hide nothing here: they are not Vigil's domain records."""
    from core.access import sees_sensitive

    entry = EXPOSURE.get(model._meta.label)
    if entry is None:
        return set()
    hidden = set(entry.get(NEVER, ()))
    if not sees_sensitive(user):
        hidden |= set(entry.get(SENSITIVE, ()))
    return hidden


def redact(objs, user):
    """``objs`` (one record or a list, of one model) with every field ``user`` may not
    read blanked in memory, for pages that print records: what the dashboard and the
    dossier show is read from the classification, so a template that prints a
    sensitive field to the wrong reader prints nothing."""
    rows = objs if isinstance(objs, list) else [objs]
    if rows:
        model = type(rows[0])
        entry = EXPOSURE.get(model._meta.label, {})
        hidden = hidden_from(model, user) & set(entry.get(SENSITIVE, ()))
        for name in hidden:
            field = model._meta.get_field(name)
            empty = None if field.null else field.get_default()
            for row in rows:
                setattr(row, field.attname, empty)
    return objs


#: The refusal of a value only those who may read it may write (it answers the same whatever exists).
SENSITIVE_VALUE_REFUSED = gettext_lazy("Only users who may see sensitive details record this.")


def guarded_values(model) -> dict[str, tuple[str, ...]]:
    """Values that make a record sensitive and that a uniqueness rule checks (a
    service number's kind): written only by who may read them, or "this person already
    has this identifier" would tell someone who may not that a hidden number exists
    (and a wrong guess would create a record its author cannot see)."""
    from django.db.models import UniqueConstraint

    unique = {name for constraint in model._meta.constraints if isinstance(constraint, UniqueConstraint)
              for name in constraint.fields}  # fmt: skip
    return {name: values for name, values in SENSITIVE_ROWS.get(model._meta.label, ()) if name in unique}


def is_sensitive_row(model, data: dict) -> bool:
    """Whether a record of ``model`` with these values is sensitive as a whole."""
    return any(data.get(name) in values for name, values in SENSITIVE_ROWS.get(model._meta.label, ()))
