"""Lists serialised at the cost of a dict per row.

DRF serialises each row field by field through generic machinery
(``get_attribute``, ``to_representation``, timezone checks, ``reverse()`` for
each ``url``): at 50 rows of 20 fields it is most of a list's time. Here
each field of the row serializer is compiled once per page into a reader
that does the same with less: plain values read straight from the model
instance, foreign keys from their ``*_id``, dates with ``isoformat()``,
``url`` from a template reversed once. Any field this module does not know
(nested serializers, method fields, countries, dates as written) goes through
DRF as before, so the output is exactly DRF's: ``tests/core/test_api_fast_lists.py``
checks every list against the row-by-row serializer.

Used by every Vigil serializer for ``many=True`` through DRF's public hook,
``Meta.list_serializer_class`` (set by ``VigilModelSerializer``); it reads the
row serializer's public ``fields``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from rest_framework import fields as drf
from rest_framework import relations, serializers
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

Reader = Callable[[object], object]

PLAIN = {drf.CharField, drf.IntegerField, drf.BooleanField}
PK_PLACEHOLDER = "0000000000"


def _plain(attname: str, kind: type) -> Reader:
    if kind is drf.CharField:
        return lambda obj: None if (value := getattr(obj, attname)) is None else str(value)
    if kind is drf.IntegerField:
        return lambda obj: None if (value := getattr(obj, attname)) is None else int(value)
    return lambda obj: getattr(obj, attname)


def _choice(attname: str, field: drf.ChoiceField) -> Reader:
    mapping = field.choice_strings_to_values

    def read(obj):
        value = getattr(obj, attname)
        if value in ("", None):
            return value
        return mapping.get(str(value), value)

    return read


def _date(attname: str) -> Reader:
    return lambda obj: None if (value := getattr(obj, attname)) is None else value.isoformat()


def _datetime(attname: str, field: drf.DateTimeField) -> Reader:
    def read(obj):
        value = getattr(obj, attname)
        if value is None:
            return None
        value = field.enforce_timezone(value)
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return read


def _url(field: relations.HyperlinkedIdentityField, request) -> Reader:
    template = reverse(field.view_name, kwargs={field.lookup_url_kwarg: PK_PLACEHOLDER})
    if request is not None:
        template = request.build_absolute_uri(template)
    head, tail = template.split(PK_PLACEHOLDER, 1)
    return lambda obj: f"{head}{obj.pk}{tail}"


def _generic(field: drf.Field) -> Reader:
    def read(obj):
        try:
            attribute = field.get_attribute(obj)
        except drf.SkipField:
            return drf.empty
        check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check_for_none is None else field.to_representation(attribute)

    return read


def _model_attname(field: drf.Field, model: type[models.Model]) -> str | None:
    """The instance attribute a simple field reads, or None if it is not that simple."""
    if len(field.source_attrs) != 1:
        return None
    try:
        model_field = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:  # a property, a method, an annotation: DRF's way
        return None
    return model_field.attname if model_field.concrete else None


def compile_reader(field: drf.Field, model: type[models.Model], request) -> Reader:
    kind = type(field)
    attname = _model_attname(field, model)
    if kind is relations.HyperlinkedIdentityField and field.lookup_field == "pk":
        return _url(field, request)
    if attname is None:
        return _generic(field)
    if kind in PLAIN:
        return _plain(attname, kind)
    if kind is drf.ChoiceField:
        return _choice(attname, field)
    if kind is drf.DateField and _iso(field, api_settings.DATE_FORMAT):
        return _date(attname)
    if kind is drf.DateTimeField and _iso(field, api_settings.DATETIME_FORMAT):
        return _datetime(attname, field)
    if isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None and attname.endswith("_id"):
        return lambda obj: getattr(obj, attname)
    return _generic(field)


def _iso(field, setting) -> bool:
    output = getattr(field, "format", setting)
    return isinstance(output, str) and output.lower() == drf.ISO_8601


class FastListSerializer(serializers.ListSerializer):
    """``many=True`` for Vigil serializers: the same output as DRF, compiled per page."""

    def readers(self) -> list[tuple[str, Reader]]:
        # Once per serializer: a nested list (a request's updates) is the same field on every row.
        if not hasattr(self, "_readers"):
            model, request = self.child.Meta.model, self.context.get("request")
            self._readers = [
                (field.field_name, compile_reader(field, model, request))
                for field in self.child.fields.values()
                if not field.write_only  # what DRF's Serializer.to_representation reads
            ]
        return self._readers

    def to_representation(self, data):
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        readers = self.readers()
        result = []
        for row in rows:
            item = {}
            for name, read in readers:
                value = read(row)
                if value is not drf.empty:
                    item[name] = value
            result.append(item)
        return result
