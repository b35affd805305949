"""Importing an organisation's spreadsheets: dry run first, then commit, refusal of a re-import, undo."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from casework.models import Case, CaseNote, StatedRequest
from exchange.models import BatchState, ImportBatch
from exchange.phrases import shown_report
from people.models import Person, PersonIdentifier
from tests import factories
from tests.exchange_files import MAPPING, csv_bytes, xlsx_bytes


@pytest.fixture
def files(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING))

    def write(name: str, data: bytes):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    write.mapping = mapping
    return write


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_records", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def rows_by_number(batch) -> dict[int, dict]:
    return {row["row"]: row for row in shown_report(batch.report)}


def test_the_dry_run_classifies_every_row_and_writes_nothing(files, dana):
    existing = factories.PersonFactory(display_name="Ri Yong Su", nationality="KP")
    factories.PersonIdentifierFactory(person=existing, kind="icrc", value="ICRC-102")
    before = Person.objects.count()
    output = run(files("detainees.csv", csv_bytes()), "--mapping", files.mapping, "--user", "dana", "--dry-run")
    batch = ImportBatch.objects.get()
    assert batch.state == BatchState.CHECKED
    assert batch.dry_run_counts == {"create": 2, "update": 1, "link": 1, "skip": 2, "error": 2, "rows": 8}
    rows = rows_by_number(batch)
    assert rows[2]["action"] == "create" and "person" in rows[2]["what"]
    assert rows[4]["action"] == "update"
    assert rows[4]["reasons"] == ["same ICRC reference ICRC-102"]
    assert any(change.startswith("Status:") for change in rows[4]["changes"])
    assert "uncertain" in rows[4]["warnings"][0]
    assert rows[5] | {} and rows[5]["reasons"] == ["empty row"]
    assert rows[6]["reasons"] == ["the same as row 2"]
    assert rows[7]["action"] == "link" and rows[7]["reasons"] == ["the same person as row 2"]
    errors = {(e["field"], e["message"].split(":")[0]) for e in rows[8]["errors"]}
    assert {field for field, _ in errors} == {"person.birth", "person.nationality", "person.status"}
    assert "31 February 2001 is not a date" in " ".join(e["message"] for e in rows[8]["errors"])
    assert {e["field"] for e in rows[9]["errors"]} == {"person.names", "person.birth"}
    assert "in the future" in " ".join(e["message"] for e in rows[9]["errors"])
    assert Person.objects.count() == before and not Case.objects.exists()
    assert "row 8: error" in output


def test_the_rejected_rows_come_back_as_a_csv_with_an_errors_column(files, dana):
    path = files("detainees.csv", csv_bytes())
    run(path, "--mapping", files.mapping, "--user", "dana", "--dry-run")
    rejected = list(csv.DictReader(io.StringIO((path.parent / "detainees.rejected.csv").read_text("utf-8-sig"))))
    assert [row["row"] for row in rejected] == ["8", "9"]
    assert "Atlantis" in rejected[0]["errors"] and "in a cell" in rejected[0]["errors"]
    assert rejected[0]["Name"] == "Choe Myong / 최명", "the row as it was, to fix and import again"


def test_the_commit_writes_people_cases_detentions_requests_and_notes_through_history(files, dana):
    run(files("detainees.csv", csv_bytes()), "--mapping", files.mapping, "--user", "dana")
    batch = ImportBatch.objects.get()
    assert batch.state == BatchState.COMMITTED
    assert batch.counts == {"create": 3, "link": 1, "skip": 2, "error": 2}
    kim = Person.objects.get(display_name="Kim Hyok")
    assert kim.name_original == "김혁" and str(kim.birth) == "January 1999" and kim.nationality == "KP"
    assert PersonIdentifier.objects.get(value="ICRC-100").person == kim
    case = Case.objects.get(title="Kursk prisoners")
    assert case.lead == dana
    assert set(case.subjects.values_list("person__display_name", flat=True)) == {
        "Kim Hyok",
        "Pak Chol Ho",
        "Ri Yong Su",
    }
    assert str(kim.detentions.get().started) == "January 2025"
    transfer = StatedRequest.objects.get(person=kim, category="transfer")
    assert transfer.status == "stalled" and transfer.updates.get().recorded_by == dana
    assert StatedRequest.objects.filter(person=kim, category="reading").exists(), "row 7 linked to row 2's person"
    assert CaseNote.objects.get(case=case).body == "Asked again in March."
    event = kim.history.order_by("pgh_id").first()
    assert event.pgh_context.metadata["channel"] == "import"
    assert event.pgh_context.metadata["import_batch"] == batch.pk
    assert not Person.objects.filter(display_name__contains="script").exists()


def test_importing_the_same_file_again_is_refused_unless_update_only(files, dana):
    path = files("detainees.csv", csv_bytes())
    run(path, "--mapping", files.mapping, "--user", "dana")
    with pytest.raises(CommandError, match="already imported"):
        run(path, "--mapping", files.mapping, "--user", "dana")
    people = Person.objects.count()
    run(path, "--mapping", files.mapping, "--user", "dana", "--update-only")
    assert Person.objects.count() == people
    assert ImportBatch.objects.order_by("id").last().counts.get("create", 0) == 0


def test_a_data_manager_undoes_a_batch_to_the_bin(files, dana):
    ri = factories.PersonFactory(display_name="Ri Yong Su", status="in_detention")
    factories.PersonIdentifierFactory(person=ri, kind="icrc", value="ICRC-102")
    run(files("detainees.csv", csv_bytes()), "--mapping", files.mapping, "--user", "dana")
    ri.refresh_from_db()
    assert ri.status == "released"
    batch = ImportBatch.objects.get()
    run("--undo", batch.pk, "--user", "dana")
    assert Person.objects.visible_to(dana).filter(display_name="Kim Hyok").count() == 0
    assert Person.objects.in_bin().filter(display_name="Kim Hyok").exists(), "to the bin, not destroyed"
    assert Case.objects.in_bin().filter(title="Kursk prisoners").exists()
    ri.refresh_from_db()
    assert ri.status == "in_detention", "what the batch changed is put back"
    assert ImportBatch.objects.get().state == BatchState.UNDONE


def test_an_editor_cannot_import(files, alice):
    with pytest.raises(CommandError, match="data manager"):
        run(files("detainees.csv", csv_bytes()), "--mapping", files.mapping, "--user", "alice", "--dry-run")
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (csv_bytes(encoding="utf-16"), "utf16.csv", None),
        (csv_bytes(bom=True, delimiter=";"), "bom.csv", None),
        (
            csv_bytes(
                encoding="cp1251",
                rows=[["Ivanov / Иванов", "1999", "", "RU", "held", "", "K", "", "", "", "", ""]] * 40,
            ),
            "legacy.csv",
            None,
        ),
        (xlsx_bytes(), "sheet.xlsx", None),
        (xlsx_bytes(merge="A2:B2"), "merged.xlsx", "merged cells"),
        (b"\x00\x01\x02\xff\xfe\x00garbage" * 50, "binary.csv", "encoding|does not read"),
        (b"", "empty.csv", "empty"),
    ],
)
def test_files_in_any_encoding_and_format_are_read_and_bad_ones_refused_clearly(files, dana, data, name, message):
    path = files(name, data)
    args = (path, "--mapping", files.mapping, "--user", "dana", "--dry-run")
    if message is None:
        run(*args)
        batch = ImportBatch.objects.get()
        assert batch.dry_run_counts["rows"] >= 1
        assert batch.dry_run_counts["error"] < batch.dry_run_counts["rows"]
    else:
        with pytest.raises(CommandError, match=message):
            run(*args)
        assert not ImportBatch.objects.exists(), "nothing half-written"


def test_a_formula_cell_is_an_error_of_its_row(files, dana):
    run(files("formula.xlsx", xlsx_bytes(formula_at=(2, 1))), "--mapping", files.mapping, "--user", "dana", "--dry-run")
    row = rows_by_number(ImportBatch.objects.get())[2]
    assert row["action"] == "error" and "formula" in row["errors"][0]["message"]


def test_a_file_over_the_limit_is_refused_before_it_is_read(files, dana, settings):
    settings.VIGIL_IMPORT_MAX_BYTES = 100
    with pytest.raises(CommandError, match="at most"):
        run(files("big.csv", csv_bytes()), "--mapping", files.mapping, "--user", "dana", "--dry-run")
    assert not ImportBatch.objects.exists()


def test_a_batch_stopped_between_chunks_keeps_what_it_committed_and_resumes_after_it(files, dana, settings):
    from exchange import imports

    settings.VIGIL_IMPORT_CHUNK_ROWS = 3
    run(files("detainees.csv", csv_bytes()), "--mapping", files.mapping, "--user", "dana", "--dry-run")
    batch = ImportBatch.objects.get()

    def stop(done):
        raise RuntimeError("the machine went down")

    with pytest.raises(RuntimeError):
        imports.import_commit(batch=batch, user=dana, progress=stop)
    batch.refresh_from_db()
    assert (batch.state, batch.rows_done) == (BatchState.FAILED, 3), "the first chunk stays, whole"
    assert set(Person.objects.values_list("display_name", flat=True)) == {"Kim Hyok", "Pak Chol Ho", "Ri Yong Su"}
    run("--resume", batch.pk, "--user", "dana")
    batch.refresh_from_db()
    assert (batch.state, batch.rows_done) == (BatchState.COMMITTED, 8)
    assert batch.counts == {"create": 3, "link": 1, "skip": 2, "error": 2}
    assert Person.objects.filter(display_name="Kim Hyok").count() == 1, "row 7 links to row 2's person after resuming"


def test_rows_of_one_chunk_change_a_person_and_a_request_twice_in_their_order(files, dana):
    ri = factories.PersonFactory(display_name="Ri Yong Su", status="in_detention")
    factories.PersonIdentifierFactory(person=ri, kind="icrc", value="ICRC-102")
    rows = [
        ["Ri Yong Su", "2000?", "", "KP", "freed", "ICRC-102", "Kursk prisoners", "", "", "go south", "waiting", ""],
        ["Ri Yong Su", "2000?", "", "KP", "freed", "ICRC-102", "Kursk prisoners", "", "", "go south", "stated", "Again."],
    ]  # fmt: skip
    run(files("ri.csv", csv_bytes(rows)), "--mapping", files.mapping, "--user", "dana")
    assert ImportBatch.objects.get().counts == {"update": 1, "link": 1}
    ri.refresh_from_db()
    assert ri.status == "released" and ri.version == 2
    transfer = StatedRequest.objects.get(person=ri, category="transfer")
    updates = transfer.updates.order_by("id")
    assert [(u.previous_status, u.status) for u in updates] == [("stated", "stalled"), ("stalled", "stated")]
    assert {u.recorded_by for u in updates} == {dana} and "row 3" in updates[1].note
    assert [e.status for e in transfer.history.order_by("pgh_id")] == ["stated", "stalled", "stated"]
    assert transfer.status == "stated" and transfer.last_moved_on is not None
    run("--undo", ImportBatch.objects.get().pk, "--user", "dana")
    ri.refresh_from_db()
    assert ri.status == "in_detention", "what the batch changed is put back"


def test_a_row_failing_to_write_gets_its_own_error_and_the_rest_of_its_chunk_is_written_once(files, dana, monkeypatch):
    """A chunk is written under one savepoint; a row that fails to write (here: the database
    refuses Pak's detention, inserted with the chunk's others) fails the chunk, which is
    then written row by row: that row is rejected with the database's message, the others
    are written once each."""
    from django.db import DataError

    from people.models import Detention

    create = Detention.objects.bulk_create
    original_save = Detention.save

    def refuse(detention):
        if detention.person.display_name == "Pak Chol Ho":
            raise DataError("value too long for the facility")

    def bulk_create(objs, **kwargs):
        for detention in objs:
            refuse(detention)
        return create(objs, **kwargs)

    def save(self, *args, **kwargs):
        refuse(self)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Detention.objects, "bulk_create", bulk_create)
    monkeypatch.setattr(Detention, "save", save)
    run(files("detainees.csv", csv_bytes()), "--mapping", files.mapping, "--user", "dana")
    batch = ImportBatch.objects.get()
    assert batch.state == BatchState.COMMITTED
    assert batch.counts == {"create": 2, "link": 1, "skip": 2, "error": 3}, "Pak's row joins the two bad rows"
    assert not Person.objects.filter(display_name="Pak Chol Ho").exists(), "nothing of the failing row"
    assert Person.objects.filter(display_name="Kim Hyok").count() == 1, "the chunk's other rows, once each"
    kim = Person.objects.get(display_name="Kim Hyok")
    assert kim.detentions.count() == 1 and StatedRequest.objects.filter(person=kim, category="transfer").count() == 1
    assert set(batch.records.values_list("row", flat=True)) == {2, 4, 7}, "undo knows each written row once"


def test_undo_sends_the_batch_and_all_it_created_to_the_bin_and_restoring_it_from_the_bin_redoes_it(
    files, dana, client
):
    from django.apps import apps

    from casework.models import CaseSubject
    from core.bin import is_binnable

    case = factories.CaseFactory(title="Kursk prisoners", lead=dana)  # the rows join a case the batch did not create
    ri = factories.PersonFactory(display_name="Ri Yong Su", status="in_detention")
    factories.PersonIdentifierFactory(person=ri, kind="icrc", value="ICRC-102")
    run(files("detainees.csv", csv_bytes()), "--mapping", files.mapping, "--user", "dana")
    batch = ImportBatch.objects.get()
    created = [(r.model, r.object_id) for r in batch.records.filter(created=True)]
    ri_link = CaseSubject.objects.get(case=case, person=ri)
    notes = sorted(CaseNote.objects.filter(case=case).values_list("pk", flat=True))
    requests = sorted(StatedRequest.objects.filter(case=case).values_list("pk", flat=True))
    assert notes and requests and ri_link.pk in [pk for label, pk in created if label == "casework.casesubject"]

    run("--undo", batch.pk, "--user", "dana")
    batch.refresh_from_db()
    assert batch.state == BatchState.UNDONE and batch.in_bin, "the batch itself is in the bin"
    for label, pk in created:
        model = apps.get_model(label)
        if is_binnable(model):
            assert model.objects.get(pk=pk).in_bin, f"{label} #{pk} to the bin, not destroyed"
    assert not Person.objects.visible_to(dana).filter(display_name="Kim Hyok").exists()
    assert not CaseNote.objects.visible_to(dana).filter(case=case).exists()
    assert not CaseSubject.objects.visible_to(dana).filter(person=ri).exists(), "the link it added is undone"
    ri.refresh_from_db()
    assert ri.status == "in_detention"

    client.force_login(dana)
    bin_page = client.get("/admin/bin/").content.decode()
    assert "detainees.csv" in bin_page, "the undone batch is listed in the bin"
    response = client.post("/admin/bin/", {"model": "exchange.ImportBatch", "pk": batch.pk, "action": "restore"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == BatchState.COMMITTED and not batch.in_bin
    assert Person.objects.visible_to(dana).filter(display_name="Kim Hyok").count() == 1
    assert CaseSubject.objects.get(pk=ri_link.pk).person == ri, "the same link, with its id"
    assert sorted(CaseNote.objects.visible_to(dana).filter(case=case).values_list("pk", flat=True)) == notes
    assert sorted(StatedRequest.objects.visible_to(dana).filter(case=case).values_list("pk", flat=True)) == requests
    ri.refresh_from_db()
    assert ri.status == "released", "what the batch changed is changed again"
    run("--undo", batch.pk, "--user", "dana")  # and it can be undone again
    assert not Person.objects.visible_to(dana).filter(display_name="Kim Hyok").exists()
    run(files("again.csv", csv_bytes()), "--mapping", files.mapping, "--user", "dana")  # the same file, anew
    client.post("/admin/bin/", {"model": "exchange.ImportBatch", "pk": batch.pk, "action": "restore"})
    batch.refresh_from_db()
    assert batch.in_bin, "never imported twice: the old batch stays in the bin"
    assert Person.objects.visible_to(dana).filter(display_name="Kim Hyok").count() == 1


def test_a_large_batch_is_imported_by_a_job_with_its_progress(files, dana, client, monkeypatch):
    from rest_framework.test import APIClient

    from core.models import BackgroundWork
    from exchange.api import views as api_views
    from exchange.views import imports as page_views
    from tests.exchange_jobs import run_queued_jobs

    monkeypatch.setattr(api_views, "INLINE_ROWS", 1)
    monkeypatch.setattr(page_views, "INLINE_ROWS", 1)
    run(files("detainees.csv", csv_bytes()), "--mapping", files.mapping, "--user", "dana", "--dry-run")
    batch = ImportBatch.objects.get()
    api = APIClient()
    api.force_authenticate(dana)
    response = api.post(f"/api/v1/imports/{batch.pk}/commit/")
    assert response.status_code == 202 and response.json()["state"] == "queued"
    assert api.post(f"/api/v1/imports/{batch.pk}/commit/").status_code == 400, "queued once"
    client.force_login(dana)
    assert "waiting for a worker" in client.get(f"/imports/{batch.pk}/").content.decode()
    assert not Person.objects.exists()
    assert run_queued_jobs() == ["exchange.run_import"]
    batch.refresh_from_db()
    assert batch.state == BatchState.COMMITTED and batch.rows_done == 8
    assert Person.objects.filter(display_name="Kim Hyok").exists()
    work = BackgroundWork.objects.get(kind="import")  # its progress: test_export_api.py, with a real worker
    assert work.owner == dana and work.title == f"Import of batch #{batch.pk} (8 rows)"
