"""Undoing an import to the bin, and restoring it from the bin, for every kind of row an
import writes: what it created, what it added to records it did not create, what it changed."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from casework.models import CaseMember, CaseNote, CaseSubject, RequestUpdate, StatedRequest
from exchange.models import BatchState, ImportBatch
from people.models import Detention, Person, PersonIdentifier, PersonName
from tests import factories
from tests.exchange_files import MAPPING, csv_bytes

HEADER = ["Name", "Born", "Nationality", "Status", "ICRC no.", "Passport", "Case", "Held at", "Since", "Request",
          "Request status", "Note"]  # fmt: skip
ROWS = [
    # someone new, in a new case (its team: alice), with a request whose status is set
    ["Kim Hyok / 김혁", "Jan 1999", "DPRK", "held", "ICRC-100", "", "Camp 9 detainees", "Camp 9", "2024",
     "go south", "waiting", ""],
    # someone recorded (by ICRC number) in a case the batch did not create: a name, a passport, a detention,
    # a link to the case, a note on it, and his existing request's status changed; his status changed
    ["Ri Yong Su / 리용수 / Ли Ён Су", "", "KP", "freed", "ICRC-102", "P-555", "Kursk prisoners", "Camp 15", "Q4 2024",
     "meds", "waiting", "Seen in May."],
]  # fmt: skip


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_records", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def world(tmp_path, settings, dana, alice):
    settings.MEDIA_ROOT = tmp_path / "media"
    mapping = tmp_path / "mapping.json"
    columns = {name: target for name, target in MAPPING["columns"].items() if name in HEADER}
    mapping.write_text(json.dumps({"columns": {**columns, "Passport": "person.identifier.passport"}}))
    case = factories.CaseFactory(title="Kursk prisoners", lead=dana)
    ri = factories.PersonFactory(display_name="Ri Yong Su", name_original="리용수", status="in_detention",
                                 nationality="KP")  # fmt: skip
    factories.PersonIdentifierFactory(person=ri, kind="icrc", value="ICRC-102")
    factories.CaseSubjectFactory(case=factories.CaseFactory(title="Another case", lead=dana), person=ri)
    request = StatedRequest.objects.create(case=case, person=ri, category="medicine", summary="Medicine")
    data = tmp_path / "detainees.csv"
    data.write_bytes(csv_bytes(ROWS, header=HEADER))
    return {"case": case, "ri": ri, "request": request, "file": data, "mapping": mapping}


def test_undo_to_the_bin_and_restore_round_trip_every_kind_of_row_with_history(world, dana, client):
    ri, case, request = world["ri"], world["case"], world["request"]
    run(world["file"], "--mapping", world["mapping"], "--user", "dana", "--team", "alice")
    batch = ImportBatch.objects.get()
    assert batch.counts == {"create": 1, "update": 1}, batch.report
    kim = Person.objects.get(display_name="Kim Hyok")
    added = {
        "name": PersonName.objects.get(person=ri, name="Ли Ён Су"),
        "identifier": PersonIdentifier.objects.get(person=ri, kind="passport"),
        "detention": Detention.objects.get(person=ri, facility="Camp 15"),
        "case link": CaseSubject.objects.get(case=case, person=ri),
        "note": CaseNote.objects.get(case=case, body="Seen in May."),
        "status change": RequestUpdate.objects.get(request=request),
    }
    member = CaseMember.objects.get(case__title="Camp 9 detainees", user__username="alice")
    kims_request = StatedRequest.objects.get(person=kim)
    request.refresh_from_db()
    ri.refresh_from_db()
    assert (ri.status, request.status, kims_request.status) == ("released", "stalled", "stalled")

    run("--undo", batch.pk, "--user", "dana")
    batch.refresh_from_db()
    assert batch.state == BatchState.UNDONE and batch.in_bin
    for what, row in added.items():
        assert not type(row).objects.filter(pk=row.pk).exists(), f"the {what} it added is removed"
    assert (
        Person.objects.in_bin().filter(pk=kim.pk).exists()
        and kims_request.__class__.objects.in_bin().filter(pk=kims_request.pk).exists()
    ), "what it created waits in the bin"
    ri.refresh_from_db()
    request.refresh_from_db()
    assert (ri.status, request.status) == ("in_detention", "stated"), "what it changed is put back"

    client.force_login(dana)
    bin_page = client.get("/admin/bin/").content.decode()
    details = bin_page[bin_page.index("detainees.csv") :]
    for row in [kim, kims_request, *added.values()]:
        meta = row._meta
        assert str(meta.verbose_name) in details or str(meta.verbose_name_plural) in details, meta.label
    assert "Removed and kept in it, back with their ids" in details
    assert "Changes it made, put back, set again" in details

    response = client.post("/admin/bin/", {"model": "exchange.ImportBatch", "pk": batch.pk, "action": "restore"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == BatchState.COMMITTED and not batch.in_bin and batch.bin_details() == []
    for what, row in added.items():
        back = type(row).objects.get(pk=row.pk)
        assert back.pk == row.pk, f"the {what} comes back with its id"
        channels = {e.pgh_context.metadata.get("channel") for e in back.history.all() if e.pgh_context}
        assert channels == {"import"}, f"the {what}'s history says import"
        assert back.history.filter(pgh_context__metadata__redo=True).exists(), f"the {what}'s return is in history"
    assert CaseMember.objects.filter(pk=member.pk).exists()
    assert Person.objects.visible_to(dana).filter(pk=kim.pk).exists()
    ri.refresh_from_db()
    request.refresh_from_db()
    assert (ri.status, request.status) == ("released", "stalled"), "what it changed is changed again"
    assert request.history.filter(pgh_context__metadata__undo=True).exists()
