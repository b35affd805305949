"""The home page's counters stay exact through an import, whose chunks recount their
people once at the end of each chunk (casework/counting_sql.py ``DEFERRING``), through
a chunk written again row by row after a failing row, and through undo and redo."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from casework.models import HomeCount, StatedRequest
from exchange.models import ImportBatch
from tests import factories
from tests.exchange_files import MAPPING, csv_bytes

HEADER = ["Name", "Born", "Nationality", "Status", "ICRC no.", "Case", "Held at", "Since", "Request", "Request status"]
ROWS = [
    ["Kim Hyok / 김혁", "Jan 1999", "DPRK", "held", "ICRC-100", "Camp 9 detainees", "Camp 9", "2024", "go south",
     "waiting"],
    ["Ri Yong Su / 리용수", "", "KP", "freed", "ICRC-102", "Kursk prisoners", "Camp 15", "Q4 2024", "meds", "waiting"],
    ["Pak Chol / 박철", "1980", "DPRK", "held", "ICRC-103", "Kursk prisoners", "Camp 15", "2023", "meds", ""],
    ["Kim Hyok / 김혁", "Jan 1999", "DPRK", "freed", "ICRC-100", "Kursk prisoners", "", "", "go south", "granted"],
    ["Jo Un / 조은", "1975", "DPRK", "missing", "ICRC-104", "Camp 9 detainees", "", "", "", ""],
]  # fmt: skip


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_records", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counters() -> list[tuple]:
    return sorted(HomeCount.objects.filter(n__gt=0).values_list("figure", "open", "status", "minor", "moved_on", "n"))


def assert_exact() -> None:
    """The counters equal what rebuilding them from the tables gives."""
    kept = counters()
    with connection.cursor() as cursor:
        cursor.execute("SELECT vigil_recount_all()")
    assert counters() == kept


@pytest.fixture
def world(tmp_path, settings, dana):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIGIL_IMPORT_CHUNK_ROWS = 2  # three chunks
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": {n: t for n, t in MAPPING["columns"].items() if n in HEADER}}))
    case = factories.CaseFactory(title="Kursk prisoners", lead=dana)
    ri = factories.PersonFactory(display_name="Ri Yong Su", name_original="리용수", status="in_detention",
                                 nationality="KP")  # fmt: skip
    factories.PersonIdentifierFactory(person=ri, kind="icrc", value="ICRC-102")
    factories.CaseSubjectFactory(case=factories.CaseFactory(title="Another case", lead=dana), person=ri)
    StatedRequest.objects.create(case=case, person=ri, category="medicine", summary="Medicine")
    data = tmp_path / "detainees.csv"
    data.write_bytes(csv_bytes(ROWS, header=HEADER))
    return {"file": data, "mapping": mapping}


def test_the_counters_are_exact_after_an_import_its_undo_and_its_redo(world, dana):
    before = counters()
    run(world["file"], "--mapping", world["mapping"], "--user", "dana")
    batch = ImportBatch.objects.get()
    assert batch.counts.get("create") == 3, batch.report
    assert counters() != before
    assert_exact()
    detainees = {(status, n) for figure, _open, status, _m, _d, n in counters() if figure == "detainee"}
    assert detainees == {("in_detention", 2), ("released", 1), ("missing", 1)}  # Kim, Pak; Ri freed; Jo
    run("--undo", batch.pk, "--user", "dana")
    assert_exact()
    from exchange.imports import import_redo

    import_redo(batch=ImportBatch.objects.get(pk=batch.pk), user=dana)
    assert_exact()


def test_a_chunk_written_again_row_by_row_keeps_them_exact(world, monkeypatch):
    """Pak's detention is refused (as in tests/exchange/test_import.py): his chunk is rolled
    back, with what it noted to recount, and written again row by row."""
    from django.db import DataError

    from people.models import Detention

    create, original_save = Detention.objects.bulk_create, Detention.save

    def refuse(detention):
        if detention.person.display_name == "Pak Chol":
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
    run(world["file"], "--mapping", world["mapping"], "--user", "dana")
    assert ImportBatch.objects.get().counts.get("error") == 1
    assert_exact()


def test_writes_after_an_import_are_counted_at_once(world):
    run(world["file"], "--mapping", world["mapping"], "--user", "dana")
    request = StatedRequest.objects.filter(status="stated").first()
    before = counters()
    StatedRequest.objects.filter(pk=request.pk).update(status="granted")
    assert counters() != before  # no deferring left on after the import's chunks
    assert_exact()
