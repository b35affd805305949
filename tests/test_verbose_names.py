"""Every domain model and field has an explicit, translatable name: an admin page, a form
label or an error message never shows a label Django derived from a column name
("moved on", "survivor before") in English to a Korean, Ukrainian or Russian reader."""

from __future__ import annotations

import pghistory.models
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from core.roles import DOMAIN_APPS


def _domain_models():
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.auto_created or issubclass(model, pghistory.models.Event):
                continue  # many-to-many tables and history rows copy their record's fields
            yield model


def test_every_domain_model_names_itself_translatably():
    unnamed = []
    for model in _domain_models():
        for attribute in ("verbose_name", "verbose_name_plural"):
            if not isinstance(model._meta.original_attrs.get(attribute), Promise):
                unnamed.append(f"{model.__name__}.Meta.{attribute}")
    assert not unnamed, unnamed


def test_every_domain_field_has_an_explicit_translatable_verbose_name():
    unnamed = []
    for model in _domain_models():
        for field in model._meta.get_fields():
            if field.auto_created or not field.concrete:
                continue
            if not isinstance(field.deconstruct()[3].get("verbose_name"), Promise):
                unnamed.append(f"{model.__name__}.{field.name}")
    assert not unnamed, unnamed


def test_field_names_read_in_the_readers_language():
    from events.models import Event
    from people.models import Person

    with translation.override("ko"):
        assert str(Person._meta.get_field("birth_date").verbose_name) == "생년월일"
    with translation.override("uk"):
        assert str(Event._meta.verbose_name_plural) == "події"
        assert str(Person._meta.get_field("birth_date_precision").verbose_name) == "дата народження: точність"
