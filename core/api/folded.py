"""To-many links read in a list's own query: one JSON array per row, not one prefetch query each.

``prefetch_related`` costs a query per relation per page (an event's people,
governments, citations, actors present, translations: five). A ``Fold`` names
the same relation with the rows it would have read (through the same access
rule: a person the user may not see is not in the array, exactly as the
prefetch's ``visible_to`` left them out) and the fields its serializer reads;
``fold`` adds each as an array of JSON objects to the list's query, and
``unfold`` gives each row its related lists as the prefetch would have
(``core.internals.set_prefetched``), built with ``Model.from_db`` so that the
view log notes them as loaded (core/shown.py). Serializers read
``row.people.all()`` as before and make no query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import QuerySet
from django.db.models.functions import JSONObject

from core.internals import set_prefetched


@dataclass(frozen=True)
class Fold:
    """A relation of the list's rows (``name``, as ``prefetch_related`` names it), read as
    ``rows`` (filtered by ``OuterRef("pk")``, ordered), with the concrete ``fields`` its
    serializer reads and, for a foreign key of those rows, the fields of the record it
    links to (``linked={"source": ("id", "title")}``)."""

    name: str
    rows: QuerySet
    fields: tuple[str, ...]
    linked: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def annotation(self) -> str:
        return f"folded_{self.name}"

    def expression(self) -> ArraySubquery:
        keys = {name: name for name in self.fields}
        for link, names in self.linked.items():
            keys.update({f"{link}__{name}": f"{link}__{name}" for name in names})
        return ArraySubquery(self.rows.values(row=JSONObject(**keys)))

    def build(self, data: dict) -> models.Model:
        instance = _instance(self.rows.model, {k: v for k, v in data.items() if "__" not in k})
        for link, names in self.linked.items():
            related = self.rows.model._meta.get_field(link).related_model
            setattr(instance, link, _instance(related, {name: data[f"{link}__{name}"] for name in names}))
        return instance


def _instance(model: type[models.Model], data: dict) -> models.Model:
    """``model`` as loaded from the database (``Model.from_db``, which takes the values in the
    order of the model's fields), its JSON values read back as the fields' Python values
    (a timestamp's text as a datetime)."""
    wanted = {model._meta.get_field(name).attname: value for name, value in data.items()}
    names, values = [], []
    for model_field in model._meta.concrete_fields:
        if model_field.attname in wanted:
            value = wanted[model_field.attname]
            names.append(model_field.attname)
            values.append(None if value is None else model_field.to_python(value))
    return model.from_db("default", names, values)


def fold(queryset: QuerySet, folds: list[Fold]) -> QuerySet:
    """``queryset`` with each fold's rows as an array of JSON objects, in the same query."""
    return queryset.annotate(**{each.annotation: each.expression() for each in folds})


def unfold(objs: list, folds: list[Fold]) -> list:
    """Each row of ``objs`` that carries the folds' arrays (read by ``fold``), given its
    related lists as ``prefetch_related`` would have; other rows are left as they are."""
    for obj in objs:
        related = {
            each.name: [each.build(data) for data in getattr(obj, each.annotation) or ()]
            for each in folds
            if hasattr(obj, each.annotation)
        }
        if related:
            set_prefetched(obj, **related)
    return objs
