"""The import through the dashboard (mapping builder, dry run, import, undo) and the API."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from casework.models import Case
from exchange.models import BatchState, ImportBatch, ImportMapping
from people.models import Person
from tests.exchange_files import MAPPING, csv_bytes, xlsx_bytes


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def _builder_post(batch, **extra) -> dict:
    """The mapping builder as a data manager fills it in: one row per column."""
    data = {"action": "check", "mapping_json": "", "save_as": ""}
    for index, column in enumerate(batch.columns):
        entry = MAPPING["columns"][column]
        entry = {"field": entry} if isinstance(entry, str) else entry
        data[f"field_{index}"] = entry["field"]
        data[f"split_{index}"] = entry.get("split", "")
        data[f"choices_{index}"] = "; ".join(f"{k}={v}" for k, v in entry.get("choices", {}).items())
    return data | extra


def test_a_data_manager_uploads_maps_checks_imports_and_undoes_in_the_dashboard(client, dana):
    client.force_login(dana)
    upload = SimpleUploadedFile("detainees.xlsx", xlsx_bytes())
    response = client.post(
        "/imports/", {"file": upload, "confidentiality": "restricted", "team": "dana", "mode": "all"}
    )
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/imports/{batch.pk}/"
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "Kim Hyok / 김혁" in page, "a preview of the first rows"
    assert 'value="person.names" selected' in page, "the builder guesses the obvious columns"
    response = client.post(f"/imports/{batch.pk}/", _builder_post(batch, save_as="NGO sheet"))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.dry_run_counts["error"] == 2 and not Person.objects.exists()
    assert ImportMapping.objects.get(name="NGO sheet").spec["columns"]["Name"]["split"] == "/"
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "31 February 2001 is not a date" in page and "Atlantis" in page
    rejected = b"".join(client.get(f"/imports/{batch.pk}/rejected.csv").streaming_content).decode()
    assert [row["row"] for row in csv.DictReader(io.StringIO(rejected))] == ["8", "9"]

    client.post(f"/imports/{batch.pk}/", {"action": "commit"})
    batch.refresh_from_db()
    assert batch.state == BatchState.COMMITTED
    case = Case.objects.get(title="Kursk prisoners")
    assert case.confidentiality == "restricted" and case.members.get().user == dana
    client.post(f"/imports/{batch.pk}/", {"action": "undo"})
    assert ImportBatch.objects.get().state == BatchState.UNDONE
    assert not Person.objects.visible_to(dana).exists()


def test_a_bad_file_is_refused_on_upload_with_what_to_do(client, dana):
    client.force_login(dana)
    response = client.post("/imports/", {"file": SimpleUploadedFile("m.xlsx", xlsx_bytes(merge="A2:C2")),
                                         "confidentiality": "normal", "mode": "all"})  # fmt: skip
    assert response.status_code == 400
    assert "merged cells" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_mapping_naming_an_unknown_field_is_refused_field_by_field(client, dana):
    client.force_login(dana)
    client.post(
        "/imports/", {"file": SimpleUploadedFile("d.csv", csv_bytes()), "confidentiality": "normal", "mode": "all"}
    )
    batch = ImportBatch.objects.get()
    response = client.post(
        f"/imports/{batch.pk}/",
        {"action": "check", "mapping_json": '{"columns": {"Name": "person.shoe_size", "Nope": "note.body"}}'},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "person.shoe_size" in page and "Not in the file: Nope" in page


def test_editors_and_viewers_have_no_import_pages(client, alice):
    client.force_login(alice)
    assert client.get("/imports/").status_code == 403
    assert client.post("/imports/", {"file": SimpleUploadedFile("d.csv", csv_bytes())}).status_code == 403
    assert not ImportBatch.objects.exists()


@pytest.fixture
def dana_api(dana):
    api = APIClient()
    api.force_authenticate(dana)
    return api


def test_the_api_checks_a_file_then_commits_and_undoes_it(dana_api):
    upload = SimpleUploadedFile("detainees.csv", csv_bytes(encoding="utf-16"))
    response = dana_api.post("/api/v1/imports/", {"file": upload, "mapping": json.dumps(MAPPING)}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dry_run_counts"] == {"create": 3, "update": 0, "link": 1, "skip": 2, "error": 2, "rows": 8}
    errors = next(row for row in body["report"] if row["row"] == 8)["errors"]
    assert {e["field"] for e in errors} == {"person.birth", "person.nationality", "person.status"}
    assert not Person.objects.exists()
    committed = dana_api.post(f"/api/v1/imports/{body['id']}/commit/")
    assert committed.status_code == 200 and committed.json()["state"] == "committed"
    assert Person.objects.filter(display_name="Kim Hyok").exists()
    again = dana_api.post("/api/v1/imports/", {"file": SimpleUploadedFile("same.csv", csv_bytes(encoding="utf-16")),
                                                "mapping": json.dumps(MAPPING)}, format="multipart")  # fmt: skip
    assert again.status_code == 400 and "already imported" in again.json()["file"][0]
    assert dana_api.post(f"/api/v1/imports/{body['id']}/undo/").json()["state"] == "undone"


def test_the_api_refuses_a_bad_mapping_with_every_problem(dana_api):
    spec = {"columns": {"Name": "person.names", "Status": {"field": "person.status", "choices": {"held": "jailed"}}}}
    response = dana_api.post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("d.csv", csv_bytes()), "mapping": json.dumps(spec)},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 400
    assert "jailed" in response.json()["Status"][0]
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("who", ["alice", "olivia", "anonymous"])
def test_no_one_but_a_data_manager_reaches_the_import_api(who, request, dana):
    api = APIClient()
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    batch = ImportBatch.objects.create(filename="x.csv", sha256="0" * 64, size=1, created_by=dana, mapping=MAPPING)
    refused = {401} if who == "anonymous" else {403}
    upload = {"file": SimpleUploadedFile("d.csv", csv_bytes()), "mapping": json.dumps(MAPPING)}
    assert api.post("/api/v1/imports/", upload, format="multipart").status_code in refused
    for url in (f"/api/v1/imports/{batch.pk}/commit/", f"/api/v1/imports/{batch.pk}/undo/"):
        assert api.post(url).status_code in refused
    assert api.get(f"/api/v1/imports/{batch.pk}/").status_code in refused
    assert ImportBatch.objects.get().state == BatchState.CHECKED


def test_the_import_page_filters_its_batches_by_state(client, dana):
    for name, state in (("spring.csv", BatchState.COMMITTED), ("autumn.csv", BatchState.CHECKED)):
        ImportBatch.objects.create(
            file=f"imports/{name}",
            filename=name,
            sha256="0" * 64,
            size=1,
            columns=["name"],
            created_by=dana,
            state=state,
        )
    client.force_login(dana)
    page = client.get("/imports/?state=committed").content.decode()
    assert "spring.csv" in page and "autumn.csv" not in page
