"""Every private internal of Django, DRF and drf-spectacular that Vigil relies on
(core/internals.py), pinned: after an upgrade, a failure here names the one that
changed, before a subtler failure elsewhere (a lost update let through, a
permission read twice, an error answer missing from the schema).

Each test checks that the internal is still there with the shape Vigil calls it
with, and that it still does what Vigil uses it for.
"""

from __future__ import annotations

import inspect

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core import internals
from core.models import RecordChanged
from tests import factories


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_django_model_do_update_keeps_its_signature():
    assert parameters(models.Model._do_update) == [
        "self",
        "base_qs",
        "using",
        "pk_val",
        "values",
        "update_fields",
        "forced_update",
    ], "django.db.models.Model._do_update changed: core.internals.VersionCheckedUpdate overrides it"


@pytest.mark.django_db
def test_a_stale_save_is_still_refused_through_do_update():
    case = factories.CaseFactory(title="First")
    stale = type(case).objects.get(pk=case.pk)
    case.title = "Second"
    case.save()
    stale.title = "Lost?"
    with pytest.raises(RecordChanged), transaction.atomic():
        stale.save()
    case.refresh_from_db()
    assert case.title == "Second"


def test_query_sql_with_params_is_still_there():
    from casework.models import Case

    sql, params = internals.compiled(Case.objects.filter(pk=7).values_list("pk", "reference"))
    assert sql.startswith("SELECT") and params == (7,), "django.db.models.sql.Query.sql_with_params changed"


@pytest.mark.django_db
def test_prefetched_objects_cache_is_still_what_all_reads():
    event = factories.EventFactory()
    person = factories.PersonFactory()
    internals.set_prefetched(event, people=[person])
    with CaptureQueriesContext(connection) as queries:
        assert list(event.people.all()) == [person]
    assert len(queries) == 0, "Model._prefetched_objects_cache is no longer read by related managers"


def test_model_backend_still_caches_permissions_under_perm_cache():
    source = inspect.getsource(ModelBackend)
    assert internals.PERM_CACHE in source, "django.contrib.auth ModelBackend no longer uses _perm_cache"


@pytest.mark.django_db
def test_permissions_are_read_once_per_user_object(editor):
    editor = type(editor).objects.get(pk=editor.pk)
    with CaptureQueriesContext(connection) as queries:
        assert editor.has_perm("casework.view_case")
        assert editor.has_perm("casework.change_case")
    assert len(queries) == 1


def test_drf_request_still_wraps_the_django_request():
    django_request = APIRequestFactory().get("/")
    assert internals.django_request(Request(django_request)) is django_request, "DRF Request._request changed"


def test_drf_model_permissions_still_read_the_model_from_queryset():
    assert parameters(DjangoModelPermissions._queryset) == ["self", "view"], "DRF DjangoModelPermissions._queryset"
    assert "self._queryset(view)" in inspect.getsource(DjangoModelPermissions.has_permission)


def test_spectacular_still_builds_answers_in_get_response_bodies():
    assert parameters(AutoSchema._get_response_bodies) == ["self", "direction"], (
        "drf-spectacular AutoSchema._get_response_bodies changed: core.internals.ResponseBodiesHook"
    )
    assert "self._get_response_bodies()" in inspect.getsource(AutoSchema.get_operation)
