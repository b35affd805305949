"""The base of every Vigil serializer: links only to what the user may see,
reported dates normalised and shown as written, and the model's own
validation (constraints included) run before anything is saved.
"""

from __future__ import annotations

import copy

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from core.access import sees_sensitive
from core.api.fast import FastListSerializer
from core.dates import FuzzyDate
from core.exposure import SENSITIVE_VALUE_REFUSED, guarded_values, hidden_from
from core.models import TextTranslation, Translatable
from core.querysets import visible


class VisiblePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A link by id that accepts only objects the user may see: an id in a case
    outside their team is "does not exist" (400), exactly like an id that was never used."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return visible(queryset, getattr(request, "user", None))


class AnnotatedIdsField(serializers.ManyRelatedField):
    """The ids of a to-many relation (``team``), read from the ``<name>_ids``
    array the list's queryset annotates (one query for the whole page), or
    from the relation for an object without it (just written)."""

    def get_attribute(self, instance):
        ids = getattr(instance, f"{self.field_name}_ids", None)
        if ids is None:
            return super().get_attribute(instance)
        return [PKOnlyObject(pk) for pk in ids]


@extend_schema_field(OpenApiTypes.STR)
class FuzzyDateDisplayField(serializers.Field):
    """A reported date as written: "17 February 2025", "January 2025", "Q4 2024", "date unknown"."""

    def __init__(self, date_field: str, **kwargs):
        self.date_field = date_field
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, instance) -> str:
        return str(FuzzyDate(getattr(instance, self.date_field), getattr(instance, f"{self.date_field}_precision")))


@extend_schema_field(OpenApiTypes.STR)
class OriginalLanguageField(serializers.Field):
    """The language the record's text was recorded in (BCP 47), "" when unknown."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, record) -> str:
        return record.original_language(next(iter(record.translatable_fields)))


class TextTranslationSerializer(serializers.ModelSerializer):
    """One translation of one of the record's texts: which text, into which language, by whom."""

    class Meta:
        model = TextTranslation
        fields = (
            "id",
            "field",
            "language",
            "text",
            "kind",
            "translated_by",
            "checked",
            "checked_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


_TEXT = {"type": "string"}


@extend_schema_field(
    {
        "type": "array",
        "readOnly": True,
        "items": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "field": {**_TEXT, "description": "Which of the record's texts"},
                "language": {**_TEXT, "description": "BCP 47"},
                "text": _TEXT,
                "kind": {"type": "string", "enum": ["human", "machine"]},
                "translated_by": _TEXT,
                "checked": {"type": "boolean"},
                "checked_by": _TEXT,
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": "string", "format": "date-time"},
            },
        },
    }
)
class TranslationsField(serializers.Field):
    """The record's translations (core/api/translations.py), from the page's prefetch; a record this
    request just created has none, and answering so costs no query."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, record) -> list[dict]:
        if getattr(self.parent, "creating", False):
            return []
        return TextTranslationSerializer(record.translations.all(), many=True).data


NOT_SHOWN = {"url", "deleted_at", "deleted_by"}

#: model label → the name of its API detail route, filled by every VigilModelSerializer (Meta.url_name).
ROUTES: dict[str, str] = {}


@extend_schema_field(OpenApiTypes.STR)
class RelatedNameField(serializers.Field):
    """A linked object's name as people read it (``str()``), beside its id."""

    def __init__(self, link: str, **kwargs):
        super().__init__(source=link, read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return str(value)


@extend_schema_field(OpenApiTypes.URI)
class RelatedUrlField(serializers.Field):
    """A linked object's API address, beside its id."""

    def __init__(self, link: str, route: str, **kwargs):
        self.route = route
        super().__init__(source=link, read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        from rest_framework.reverse import reverse

        return reverse(self.route, args=[value.pk], request=self.context.get("request"))


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class RelatedNamesField(serializers.Field):
    """The names of a to-many link's objects (``people_names``), in the order of its ids."""

    def __init__(self, link: str, **kwargs):
        super().__init__(source=link, read_only=True, **kwargs)

    def to_representation(self, value) -> list[str]:
        return [str(obj) for obj in value.all()]


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "uri"}})
class RelatedUrlsField(serializers.Field):
    """The API addresses of a to-many link's objects (``people_urls``), in the order of its ids."""

    def __init__(self, link: str, route: str, **kwargs):
        self.route = route
        super().__init__(source=link, read_only=True, **kwargs)

    def to_representation(self, value) -> list[str]:
        from rest_framework.reverse import reverse

        request = self.context.get("request")
        return [reverse(self.route, args=[obj.pk], request=request) for obj in value.all()]


def drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A model's ValidationError as DRF's field-by-field 400 body."""
    if hasattr(error, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return serializers.ValidationError(detail)


def _is_foreign_key(model: type[models.Model], name: str) -> bool:
    try:
        return model._meta.get_field(name).many_to_one
    except FieldDoesNotExist:
        return False


def full_clean_read(instance: models.Model, *, exclude, read) -> None:
    """``instance.full_clean(exclude=exclude)`` (the same steps, in the same order, with the
    same errors), except that the foreign keys named in ``read``, whose rows the caller has
    just read, are not looked up again: their unique and constraint checks still run."""
    errors: dict = {}
    exclude = set(exclude)
    try:
        instance.clean_fields(exclude={*exclude, *read})
    except DjangoValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except DjangoValidationError as error:
        errors = error.update_error_dict(errors)
    for check in (instance.validate_unique, instance.validate_constraints):
        exclude |= {name for name in errors if name != NON_FIELD_ERRORS}  # only for fields that passed
        try:
            check(exclude=exclude)
        except DjangoValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise DjangoValidationError(errors)


class VigilModelSerializer(CountryFieldMixin, serializers.ModelSerializer):
    """Every object has ``id`` and ``url``; links to other objects are ids, checked
    against ``visible_to(user)``. The model's ``SENSITIVE_FIELDS`` exist only for
    users who may see sensitive details. Each reported date ``<name>`` (with
    ``<name>_precision``) gains a read-only ``<name>_display`` ("January 2025").

    Before saving, the model's ``full_clean()`` runs on the would-be object: the
    same field checks, unique and check constraints as the admin, and the
    normalisation of a reported date to the first day of its period
    ("month" with 2025-02-17 is stored as 2025-02-01).

    ``Meta.url_name`` names the detail route (``"api-case-detail"``).
    """

    serializer_related_field = VisiblePrimaryKeyRelatedField

    #: model fields ``full_clean`` must not check (e.g. values the database assigns).
    clean_exclude: tuple[str, ...] = ()
    #: links shown readable: ``<link>_name`` and ``<link>_url`` beside the id (``<link>_names`` and
    #: ``<link>_urls`` beside a to-many link's ids), so a table prints without a second call (the
    #: viewset select_related()s or prefetches them).
    readable: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = getattr(cls, "Meta", None)
        if meta is not None and not hasattr(meta, "list_serializer_class"):
            # Lists (and nested lists) go through FastListSerializer: DRF's output, compiled per
            # page; DRF's public hook (many_init reads Meta.list_serializer_class).
            meta.list_serializer_class = FastListSerializer
        if meta is not None and getattr(meta, "url_name", None) and getattr(meta, "model", None):
            ROUTES.setdefault(meta.model._meta.label_lower, meta.url_name)

    def get_field_names(self, declared_fields, info):
        # id, url, the model's own fields, then what is nested or computed. Whether a
        # record is in the bin is never shown: what is in the bin is not visible at all.
        names = [name for name in super().get_field_names(declared_fields, info) if name not in NOT_SHOWN]
        rest = [name for name in names if name not in ("id", "url")]
        own = [name for name in rest if name not in declared_fields]
        return ["id", "url", *own, *(name for name in rest if name in declared_fields)]

    def build_url_field(self, field_name, model_class):
        return serializers.HyperlinkedIdentityField, {"view_name": self.Meta.url_name}

    def get_fields(self):
        fields = super().get_fields()
        # What the user may not read (core.exposure): sensitive fields without
        # people.view_sensitive, and fields never exposed: neither shown nor written.
        for name in hidden_from(self.Meta.model, self.user):
            fields.pop(name, None)
        for name in getattr(self.Meta.model, "fuzzy_dates", ()):
            if name in fields:
                fields[f"{name}_display"] = FuzzyDateDisplayField(name)
        if issubclass(self.Meta.model, Translatable):
            # The original's language and every translation beside it (core/api/translations.py).
            fields["original_language"] = OriginalLanguageField()
            fields["translations"] = TranslationsField()
        for link in self.readable:
            if link not in fields:
                continue
            model_field = self.Meta.model._meta.get_field(link)
            route = ROUTES.get(model_field.related_model._meta.label_lower)
            if model_field.many_to_many:  # people → people_names, people_urls, in the order of the ids
                fields[f"{link}_names"] = RelatedNamesField(link)
                if route:
                    fields[f"{link}_urls"] = RelatedUrlsField(link, route)
                continue
            fields[f"{link}_name"] = RelatedNameField(link, allow_null=model_field.null)
            if route:
                fields[f"{link}_url"] = RelatedUrlField(link, route, allow_null=model_field.null)
        return fields

    def __init__(self, instance=None, *args, **kwargs):
        super().__init__(instance, *args, **kwargs)
        # A POST's serializer: the record it answers with is new (no translations yet).
        self.creating = instance is None and "data" in kwargs

    @property
    def user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        if not sees_sensitive(self.user):
            # Refused here, before DRF's uniqueness validators, whose answer would tell
            # that a hidden value exists (core.exposure.guarded_values).
            for name, values in guarded_values(self.Meta.model).items():
                if attrs.get(name) in values:
                    raise serializers.ValidationError({name: [SENSITIVE_VALUE_REFUSED]})
        return attrs

    def create(self, validated_data):
        # Who recorded it, where the model keeps that (a person: who sees them while in no case).
        if any(field.name == "created_by" for field in self.Meta.model._meta.concrete_fields):
            validated_data["created_by"] = self.user
        return super().create(validated_data)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = model() if self.instance is None else copy.copy(self.instance)
        many_to_many = {field.name for field in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many and hasattr(type(instance), name):
                setattr(instance, name, value)
        exclude = [*self.clean_exclude, *many_to_many]
        # Links the fields below have just read (each from its queryset, which applies the access
        # rule): Django's own check that they exist would ask the database once more for each.
        read = [
            name for name, value in attrs.items() if isinstance(value, models.Model) and _is_foreign_key(model, name)
        ]
        try:
            full_clean_read(instance, exclude=exclude, read=read)
        except DjangoValidationError as error:
            raise drf_error(error) from None
        for name in getattr(model, "fuzzy_dates", ()):
            if name in attrs or f"{name}_precision" in attrs:
                attrs[name] = getattr(instance, name)
        return attrs
