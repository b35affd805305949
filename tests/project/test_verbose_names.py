"""Every model and field of Vigil's own apps (the domain's, and watch, exchange, core) has
an explicit, translatable name: an admin page, a form label or an error message never shows
a label Django derived from a column name ("moved on", "survivor before") in English to a
Korean, Ukrainian or Russian reader; nor does a log's record title in the admin."""

from __future__ import annotations

import pghistory.models
import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from core.roles import DOMAIN_APPS

APPS = (*DOMAIN_APPS, "watch", "exchange", "core")


def _domain_models():
    for label in dict.fromkeys(APPS):
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


@pytest.mark.django_db
def test_access_and_export_logs_are_titled_in_the_readers_language():
    import datetime

    from casework.models import CaseView, ExportLog

    at = datetime.datetime(2026, 2, 17, 6, 30, tzinfo=datetime.UTC)
    view = CaseView(username="minji", case_reference="VIG-2026-0001", channel="web", at=at)
    export = ExportLog(username="minji", what="cases.csv", rows=3, channel="api", at=at)
    with translation.override("en"):
        assert str(view).startswith("minji viewed VIG-2026-0001 (web, ")
        assert "exported 3 rows of cases.csv" in str(export)
    for language in ("ko", "uk", "ru"):
        with translation.override(language):
            assert "viewed" not in str(view) and "VIG-2026-0001" in str(view), str(view)
            assert "exported" not in str(export) and "cases.csv" in str(export), str(export)


def test_the_non_domain_apps_fields_read_in_the_readers_language():
    from exchange.models import ImportBatch
    from watch.models import Notification

    with translation.override("uk"):
        assert str(Notification._meta.get_field("read_at").verbose_name) != "read at"
        assert str(ImportBatch._meta.get_field("rows_done").verbose_name) != "rows done"
