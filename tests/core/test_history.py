"""Every change is recorded by database triggers, with who made it and through what."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from casework.models import Case
from core.history import history_of
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def test_an_admin_edit_is_recorded_with_its_user_and_channel(client, alice):
    case = factories.CaseFactory(title="Before", lead=alice)
    client.force_login(alice)
    response = client.post(
        f"/admin/casework/case/{case.pk}/change/",
        {
            "title": "After",
            "summary": "",
            "tags": "",
            "status": "open",
            "priority": "normal",
            "confidentiality": "normal",
            "lead": alice.pk,
            "opened_on": "2025-01-15",
            **{
                f"{prefix}-{key}": value
                for prefix in ("members", "subjects", "requests", "involvements", "follow_ups", "notes")
                for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    update = history_of(case).filter(pgh_label="update").get()
    assert update.pgh_diff["title"] == ["Before", "After"]
    assert update.pgh_context["channel"] == "admin"
    assert update.pgh_context["user"] == alice.pk
    assert update.pgh_context["username"] == "alice"


def test_a_queryset_update_is_recorded_too(db):
    case = factories.CaseFactory(title="Before")
    Case.objects.filter(pk=case.pk).update(title="Bulk edit")
    labels = list(history_of(case).values_list("pgh_label", flat=True))
    assert labels == ["update", "insert"]
    assert history_of(case).first().pgh_data["title"] == "Bulk edit"


def test_a_delete_is_recorded_and_its_history_survives(db):
    person = factories.PersonFactory(display_name="Gone")
    pk = person.pk
    person.delete()
    from django.apps import apps

    person_history = apps.get_model("people", "PersonHistory")
    assert list(
        person_history.objects.filter(pgh_obj_id=pk).order_by("pgh_id").values_list("pgh_label", flat=True)
    ) == [
        "insert",
        "delete",
    ]


def test_history_is_append_only(db):
    case = factories.CaseFactory()
    row = case.history.first()
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(title="rewritten")
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        type(row).objects.filter(pk=row.pk).delete()


@pytest.mark.django_db(transaction=True)
def test_a_management_command_is_recorded_with_channel_command():
    """load_demo runs as a real `manage.py` process against the test database."""
    settings = connection.settings_dict
    host = settings["HOST"].replace("/", "%2F")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    env = {**os.environ, "DATABASE_URL": f"postgres://{settings['USER']}@{host}{port}/{settings['NAME']}", "DEBUG": "1"}
    subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    case = Case.objects.get()
    created = history_of(case).get(pgh_label="insert")
    assert created.pgh_context["channel"] == "command"
    assert created.pgh_context["command"] == "load_demo"
