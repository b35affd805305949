"""Helpers the apps' FilterSets share."""

from __future__ import annotations

import datetime
import re

import django_filters as filters
from django import forms
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.querysets import visible


def visible_choices(model):
    """A ModelChoiceFilter's queryset: only objects the user may see, so
    ``?case=<a restricted case's id>`` is a 400 for an outsider, like an id never used."""

    def queryset(request):
        return visible(model.objects.all(), getattr(request, "user", None))

    return queryset


class IdOrReferenceField(forms.ModelChoiceField):
    """An id, or for a model with a ``reference`` (a case: ``VIG-2025-0001``) that reference."""

    def to_python(self, value):
        text = "" if value in self.empty_values else str(value)
        if text and not (text.isascii() and text.isdigit()) and self._has_reference():
            if not re.fullmatch(r"[A-Za-z0-9-]{1,40}", text):  # a reference's characters only (no NUL)
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
                )
            try:
                return self.queryset.get(reference=text.upper())
            except self.queryset.model.DoesNotExist:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
                ) from None
        return super().to_python(value)

    def _has_reference(self) -> bool:
        return any(field.name == "reference" for field in self.queryset.model._meta.get_fields())


@extend_schema_field(OpenApiTypes.STR)
class LinkedFilter(filters.ModelChoiceFilter):
    """The id of a linked object (a case, a person...); a case's reference is accepted too."""

    field_class = IdOrReferenceField


def linked(model, field_name: str, label: str, **kwargs) -> LinkedFilter:
    """Filter by the id of a linked object the user may see."""
    return LinkedFilter(field_name=field_name, queryset=visible_choices(model), label=label, **kwargs)


def date_range(field_name: str, what: str) -> tuple[filters.DateFilter, filters.DateFilter]:
    """``<x>_after`` / ``<x>_before`` (inclusive) on a date column: YYYY-MM-DD."""
    return (
        filters.DateFilter(field_name=field_name, lookup_expr="gte", label=f"{what} on or after (YYYY-MM-DD)"),
        filters.DateFilter(field_name=field_name, lookup_expr="lte", label=f"{what} on or before (YYYY-MM-DD)"),
    )


class UTCDateTimeField(forms.DateTimeField):
    """An ISO 8601 date-time, converted to UTC: PostgreSQL refuses offsets beyond
    ±15:59 that ISO 8601 parsers accept (a 400 here instead of a 500 there)."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(
                gettext("Enter a date-time between years 1 and 9999."), code="invalid"
            ) from None


class UTCDateTimeFilter(filters.IsoDateTimeFilter):
    """``?x=2025-01-31T12:00:00Z`` (ISO 8601)."""

    field_class = type("UTCIsoDateTimeField", (UTCDateTimeField, filters.fields.IsoDateTimeField), {})
