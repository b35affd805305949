"""Allow-lists, not deny-lists (issue 10, "make the rules fail closed"): every
field of every model is classified as shown, sensitive or never exposed
(core/exposure/), and what reaches a user is read from that classification.
A new field nobody classified fails here before it can leak anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from rest_framework import serializers

from core import exposure
from core.querysets import VisibleQuerySet

#: Vigil's own apps (a folder of the repository each), read from the settings: a new app is classified too.
VIGIL_APPS = [config.label for config in apps.get_app_configs() if Path(config.path).parent == Path(settings.BASE_DIR)]


def domain_models():
    return [
        model
        for app in VIGIL_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.label.endswith("History")  # the history tables mirror their model, below
    ]


def field_names(model) -> list[str]:
    return [field.name for field in (*model._meta.concrete_fields, *model._meta.many_to_many)]


@pytest.mark.parametrize("model", domain_models(), ids=lambda model: model._meta.label)
def test_every_field_of_every_model_is_classified_once(model):
    entry = exposure.EXPOSURE.get(model._meta.label)
    assert entry is not None, f"{model._meta.label} is not classified in core/exposure/classification.py"
    classified = [name for kind in (exposure.SHOWN, exposure.SENSITIVE, exposure.NEVER) for name in entry.get(kind, ())]
    assert sorted(classified) == sorted(set(classified)), "a field is classified twice"
    missing = set(field_names(model)) - set(classified)
    assert not missing, f"{model._meta.label}: classify {sorted(missing)} in core/exposure/classification.py"
    assert not set(classified) - set(field_names(model)), (
        "core/exposure/classification.py names a field the model lacks"
    )


def test_the_history_tables_record_only_classified_fields():
    for app in VIGIL_APPS:
        for model in apps.get_app_config(app).get_models():
            if not model._meta.label.endswith("History"):
                continue
            tracked = model._meta.get_field("pgh_obj").related_model
            own = {name for name in field_names(model) if not name.startswith("pgh_")}
            assert own <= set(field_names(tracked)), model._meta.label


def test_every_vigil_app_is_classified():
    assert {"core", "people", "casework", "events", "evidence", "watch", "exchange"} <= set(VIGIL_APPS)


def test_the_model_rules_read_the_classification():
    from people.models import Person, PersonIdentifier

    assert exposure.fields("people.Person", exposure.SENSITIVE) == Person.SENSITIVE_FIELDS
    assert set(PersonIdentifier.SENSITIVE_KINDS) == {"service_number"}


def test_the_export_has_only_shown_columns():
    from casework.views.export import COLUMNS

    assert set(COLUMNS) <= set(exposure.fields("casework.Case", exposure.SHOWN))


def api_serializers():
    from config import api_urls
    from tests.attack_surface import walk

    found = set()
    for _template, pattern in walk(api_urls.urlpatterns):
        view = getattr(pattern.callback, "cls", None)
        serializer = getattr(view, "serializer_class", None)
        if serializer is not None and issubclass(serializer, serializers.ModelSerializer):
            found.add(serializer)
    return sorted(found, key=lambda serializer: serializer.__name__)


@pytest.mark.parametrize("serializer", api_serializers(), ids=lambda serializer: serializer.__name__)
def test_every_api_serializer_lists_its_fields_from_the_classification(serializer):
    meta = serializer.Meta
    assert getattr(meta, "fields", None) not in (None, serializers.ALL_FIELDS), "list the fields explicitly"
    assert not hasattr(meta, "exclude"), "an allow-list (fields), not a deny-list (exclude)"
    entry = exposure.EXPOSURE[meta.model._meta.label]
    model_fields = set(field_names(meta.model)) & set(meta.fields)
    readable = set(entry.get(exposure.SHOWN, ())) | set(entry.get(exposure.SENSITIVE, ()))
    assert model_fields <= readable, f"never-exposed fields listed: {sorted(model_fields - readable)}"


def test_an_access_rule_nobody_wrote_shows_nothing():
    """VisibleQuerySet.access() fails closed: a model that forgets its rule shows no row."""
    from core.access import NOTHING

    assert VisibleQuerySet.access(None, user=None) == NOTHING


def test_pages_that_print_a_person_get_the_fields_the_reader_may_not_read_blanked(db):
    """The dashboard's person and case pages and the dossier print people through
    ``redact``: a template that printed a sensitive field to the wrong reader would print nothing."""
    from tests import factories

    person = factories.PersonFactory(display_name="Ri Jong Chol", health_notes="jaw injury", risk_level="extreme")
    editor = factories.UserFactory()
    exposure.redact(person, editor)
    assert person.display_name == "Ri Jong Chol"
    assert person.health_notes == "" and person.risk_level == "unknown"  # its default, not "extreme"
    lead = factories.UserFactory(is_superuser=True)
    seen = factories.PersonFactory(health_notes="jaw injury")
    assert exposure.redact(seen, lead).health_notes == "jaw injury"
