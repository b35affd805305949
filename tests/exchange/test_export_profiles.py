"""Export profiles: full, partner and public, in CSV, XLSX and JSON; logged; a full one approved and expiring."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from casework.models import Case, CaseNote, ExportLog, StatedRequest
from core.roles import DATA_MANAGER
from events.models import Event
from exchange.models import ExportState, PreparedExport
from people.models import Detention, Person, PersonIdentifier, PersonName
from tests import factories
from tests.exchange_jobs import run_queued_jobs


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def export(client, **data):
    response = client.post("/exports/", {"format": "json", "layout": "workbook", **data})
    assert response.status_code == 200, response.content[:500]
    return response, b"".join(response.streaming_content)


def texts(data: bytes, fmt: str, layout: str) -> str:
    """Every cell of an export, as one text to search."""
    if fmt == "json" and layout == "workbook":
        return json.dumps(json.loads(data), ensure_ascii=False)
    if fmt == "xlsx" and layout == "workbook":
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(texts(archive.read(name), fmt, "workbook") if fmt != "csv" else archive.read(name).decode()
                         for name in archive.namelist())  # fmt: skip


def sensitive_strings() -> set[str]:
    """Every value a public export must not hold: sensitive fields, names, identifiers,
    notes and every free text of the cases."""
    found = set()
    for person in Person.objects.all():
        found |= {str(getattr(person, name)) for name in Person.SENSITIVE_FIELDS if name not in ("risk_level",)}
        found |= {person.display_name, person.name_original, person.description, person.identifying_features,
                  person.place_of_birth, person.unit}  # fmt: skip
    found |= set(PersonName.objects.values_list("name", flat=True))
    found |= set(PersonIdentifier.objects.values_list("value", flat=True))
    found |= set(CaseNote.objects.values_list("body", flat=True))
    for detention in Detention.objects.all():
        found |= {detention.facility, detention.locality, detention.conditions}
    for case in Case.objects.all():
        found |= {case.title, case.summary, case.reference}
    for request in StatedRequest.objects.all():
        found |= {request.summary, request.words}
    for event in Event.objects.all():
        found |= {event.title, event.description, event.place}
    return {value for value in found if value and len(value) > 3}


@pytest.fixture
def demo(db, dana):
    call_command("load_demo")
    return Case.objects.get()


@pytest.mark.parametrize(("fmt", "layout"), [("xlsx", "workbook"), ("csv", "files"), ("json", "workbook"),
                                              ("xlsx", "files")])  # fmt: skip
def test_a_public_export_of_the_demo_holds_no_sensitive_string(demo, client, dana, fmt, layout):
    client.force_login(dana)
    _response, data = export(client, profile="public", format=fmt, layout=layout)
    exported = texts(data, fmt, layout)
    secrets = sensitive_strings()
    assert len(secrets) > 30, "the demo's sensitive details, names and free texts are all checked"
    leaked = sorted(value for value in secrets if value in exported)
    assert leaked == []
    assert "P-" in exported and "in_detention" in exported, "the people are there, under pseudonyms"


def test_public_pseudonyms_are_stable_and_small_counts_suppressed(demo, client, dana, settings):
    settings.VIGIL_EXPORT_SMALL_COUNT = 5
    client.force_login(dana)
    first = json.loads(export(client, profile="public")[1])
    second = json.loads(export(client, profile="public")[1])
    assert [p["person"] for p in first["people"]] == [p["person"] for p in second["people"]]
    assert len(first["people"]) == 2
    nationality = next(row for row in first["summary"] if row["what"] == "people by nationality")
    assert nationality["count"] == "fewer than 5", "two people: too few to show"


def test_the_partner_export_has_names_but_no_sensitive_field_note_or_identifier(demo, client, dana):
    client.force_login(dana)
    data = json.loads(export(client, profile="partner")[1])
    assert {"display_name", "status"} <= set(data["people"][0])
    assert not set(data["people"][0]) & set(Person.SENSITIVE_FIELDS)
    assert "notes" not in data and "person_identifiers" not in data
    assert all(event["kind"] != "welfare_incident" for event in data["events"])


def test_every_export_is_logged_with_its_profile_filters_and_fingerprint_never_its_rows(demo, client, dana):
    client.force_login(dana)
    _response, data = export(client, profile="public", format="csv", layout="files", status="stalled")
    log = ExportLog.objects.get()
    assert (log.username, log.profile, log.query) == ("dana", "public", "status=stalled")
    assert log.sha256 == hashlib.sha256(data).hexdigest()
    assert log.rows > 0
    assert demo.title not in str(log.__dict__)


def test_formula_injection_is_neutralised_in_csv_and_xlsx(client, dana):
    person = factories.PersonFactory(display_name='=HYPERLINK("http://evil.example","x")')
    case = factories.CaseFactory(title="@SUM(1+1)")
    factories.CaseSubjectFactory(case=case, person=person)
    client.force_login(dana)
    _r, data = export(client, profile="partner", format="csv", layout="files")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        people = list(csv.DictReader(io.StringIO(archive.read("people.csv").decode())))
        cases = list(csv.DictReader(io.StringIO(archive.read("cases.csv").decode())))
    assert people[0]["display_name"].startswith("'=") and cases[0]["title"] == "'@SUM(1+1)"
    _r, data = export(client, profile="partner", format="xlsx")
    sheet = load_workbook(io.BytesIO(data))["people"]
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type != "f" and cell.value.startswith("'=")


def test_an_export_holds_only_what_the_exporter_may_see(client, restricted_case, open_case, olivia):
    from django.contrib.auth.models import Permission

    secret = factories.PersonFactory(display_name="Hidden Person")
    factories.CaseSubjectFactory(case=restricted_case, person=secret)
    factories.CaseSubjectFactory(case=open_case, person=factories.PersonFactory(display_name="Open Person"))
    olivia.user_permissions.add(Permission.objects.get(codename="export_cases"))
    client.force_login(type(olivia).objects.get(pk=olivia.pk))
    data = json.loads(export(client, profile="partner")[1])
    assert [p["display_name"] for p in data["people"]] == ["Open Person"]
    assert [c["title"] for c in data["cases"]] == ["Open case"]
    assert client.post("/exports/", {"profile": "full", "format": "json", "layout": "workbook"}).status_code == 403


def test_editors_cannot_export(client, alice):
    client.force_login(alice)
    assert client.get("/exports/").status_code == 403
    assert client.post("/exports/", {"profile": "public", "format": "json", "layout": "workbook"}).status_code == 403
    assert not ExportLog.objects.exists()


def test_a_full_export_waits_for_a_second_data_manager_and_its_download_expires(demo, client, dana, settings):
    settings.VIGIL_EXPORT_FULL_NEEDS_APPROVAL = True
    client.force_login(dana)
    response = client.post("/exports/", {"profile": "full", "format": "json", "layout": "workbook"})
    assert response.status_code == 302
    prepared = PreparedExport.objects.get()
    assert prepared.state == ExportState.PENDING and not ExportLog.objects.exists()
    client.post(f"/exports/{prepared.pk}/approve/")
    assert PreparedExport.objects.get().state == ExportState.PENDING, "not by the one who asked"
    second = factories.UserFactory(username="dmitri")
    second.groups.add(Group.objects.get(name=DATA_MANAGER))
    client.force_login(second)
    client.post(f"/exports/{prepared.pk}/approve/")
    prepared.refresh_from_db()
    assert prepared.state == ExportState.QUEUED and prepared.approved_by == second
    assert run_queued_jobs() == ["exchange.run_export"], "a worker writes it"
    prepared.refresh_from_db()
    assert prepared.state == ExportState.READY
    assert client.get(f"/exports/{prepared.pk}/download/").status_code == 403, "only the one who asked downloads"
    client.force_login(dana)
    response = client.get(f"/exports/{prepared.pk}/download/")
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    assert any(p["health_notes"] for p in data["people"]), "full: sensitive details for a data manager"
    assert ExportLog.objects.get().profile == "full"
    PreparedExport.objects.filter(pk=prepared.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(f"/exports/{prepared.pk}/download/", follow=True)
    assert "expired" in response.content.decode()
