"""Evidence files (issue 14): hashing, type from content, size limit,
de-duplication, immutability, derived copies, the bin and purge, and who sees
a file. Through the services every interface calls."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import DatabaseError, transaction
from PIL import Image

from core.bin import bin_move, bin_purge
from evidence.choices import Derivation
from evidence.images import read_metadata
from evidence.models import EvidenceFile, StoredBlob
from evidence.services import Links, derivative_upload, image_redact
from tests import factories
from tests.evidence_support import HTML, PDF, jpeg, png, receive

pytestmark = pytest.mark.django_db


def stored(blob: StoredBlob) -> bytes:
    with storages["evidence"].open(blob.storage_name, "rb") as handle:
        return handle.read()


def test_an_upload_is_hashed_typed_from_its_content_and_recorded(alice, restricted_case):
    data = PDF
    result = receive(alice, restricted_case, data, name="letter-from-the-ministry.txt", description="The letter")
    item = result.file
    assert item.blob.sha256 == hashlib.sha256(data).hexdigest()
    assert item.blob.size == len(data)
    assert item.blob.media_type == "application/pdf"  # its content, not the name's .txt
    assert (item.original_name, item.uploaded_by, item.channel) == ("letter-from-the-ministry.txt", alice, "dashboard")
    assert stored(item.blob) == data
    assert not result.duplicate


def test_a_type_the_allow_list_does_not_cover_is_refused_and_nothing_is_stored(alice, restricted_case):
    with pytest.raises(ValidationError) as refused:
        receive(alice, restricted_case, HTML, name="holiday-photo.jpg")
    assert "text/html" in " ".join(refused.value.messages)
    assert StoredBlob.objects.count() == 0 and EvidenceFile.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(alice, restricted_case, settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        receive(alice, restricted_case, b"%PDF-1.4\n" + b"x" * 2000, name="big.pdf")
    assert "larger than the limit of 1.0 KB per file" in " ".join(refused.value.messages)
    assert EvidenceFile.objects.count() == 0


def test_identical_content_is_stored_once_and_linked_from_each_record(alice, restricted_case, open_case, sam):
    first = receive(alice, restricted_case, png(), name="a.png")
    second = receive(sam, open_case, png(), name="the same, renamed.png")
    assert second.duplicate and not first.duplicate
    assert first.file.blob_id == second.file.blob_id
    assert StoredBlob.objects.count() == 1
    assert EvidenceFile.objects.count() == 2


def test_the_original_bytes_name_and_receipt_can_never_be_changed(alice, restricted_case, open_case):
    item = receive(alice, restricted_case, png(), name="a.png").file
    other = StoredBlob.objects.create(sha256="0" * 64, size=1, media_type="image/png")
    for change in (
        lambda: EvidenceFile.objects.filter(pk=item.pk).update(blob=other),
        lambda: EvidenceFile.objects.filter(pk=item.pk).update(original_name="renamed.png"),
        lambda: EvidenceFile.objects.filter(pk=item.pk).update(case=open_case),
        lambda: StoredBlob.objects.filter(pk=item.blob_id).update(sha256="1" * 64),
        lambda: StoredBlob.objects.filter(pk=item.blob_id).update(size=5),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    # What may change: the description, the sensitive mark.
    EvidenceFile.objects.filter(pk=item.pk).update(description="Now described")


def test_a_photo_carrying_exif_shows_it_and_gets_a_copy_without_it(alice, restricted_case):
    result = receive(alice, restricted_case, jpeg(exif=True), name="face.jpg")
    carries = result.file.blob.metadata
    assert carries["camera"] == "PhoneMaker Model 7"
    assert carries["serial"] == "SERIAL-4242"
    assert carries["gps"] == "50.45000, 30.51667"
    copy = result.stripped
    assert copy.derived_from == result.file and copy.derivation == Derivation.METADATA_STRIPPED
    stripped = stored(copy.blob)
    assert read_metadata(io.BytesIO(stripped)) == {}
    assert not Image.open(io.BytesIO(stripped)).getexif()
    assert stored(result.file.blob) == jpeg(exif=True)  # the original is kept intact


def test_a_photo_without_metadata_gets_no_stripped_copy(alice, restricted_case):
    result = receive(alice, restricted_case, jpeg(exif=False))
    assert result.file.blob.metadata == {} and result.stripped is None


def test_a_redacted_copy_blacks_out_the_area_and_names_its_original_and_who_made_it(alice, bob, restricted_case):
    original = receive(alice, restricted_case, png(colour=(250, 250, 250), size=(100, 80))).file
    copy = image_redact(user=bob, original=original, rectangles=[(10, 10, 50, 40)], note="face", channel="dashboard")
    assert (copy.derived_from, copy.original, copy.uploaded_by) == (original, original, bob)
    assert copy.derivation == Derivation.REDACTED and "1 area blacked out" in copy.derivation_note
    image = Image.open(io.BytesIO(stored(copy.blob))).convert("RGB")
    assert image.getpixel((30, 25)) == (0, 0, 0)
    assert image.getpixel((80, 70)) == (250, 250, 250)
    assert stored(original.blob) == png(colour=(250, 250, 250), size=(100, 80))


def test_an_uploaded_translation_is_a_derived_copy_of_the_letter(alice, restricted_case):
    letter = receive(alice, restricted_case, PDF, name="letter.pdf").file
    translation = derivative_upload(
        user=alice,
        original=letter,
        stream=io.BytesIO(b"The ministry replies: no.\n"),
        name="letter-en.txt",
        derivation=Derivation.TRANSLATION,
        note="Translated from Korean by the team",
        channel="api",
    )
    assert translation.blob.media_type == "text/plain"
    assert list(letter.derivatives.all()) == [translation]
    with pytest.raises(ValidationError):
        derivative_upload(
            user=alice, original=letter, stream=io.BytesIO(b"x"), name="x.txt", derivation="ocr_text", note=" ",
            channel="api",
        )  # fmt: skip


def test_a_file_can_support_several_records_of_its_case_and_none_of_another(alice, restricted_case, open_case):
    event = factories.EventFactory(case=restricted_case)
    person = factories.PersonFactory()
    factories.CaseSubjectFactory(case=restricted_case, person=person)
    request = factories.StatedRequestFactory(case=restricted_case, person=person)
    item = receive(alice, restricted_case, PDF, links=Links(events=[event], people=[person], requests=[request])).file
    assert {str(type(link.linked).__name__) for link in item.links.all()} == {"Event", "Person", "StatedRequest"}
    elsewhere = factories.EventFactory(case=open_case)
    with pytest.raises(ValidationError):
        receive(alice, restricted_case, png(), links=Links(events=[elsewhere]))


def test_deleting_moves_to_the_bin_and_purging_removes_the_bytes_only_when_nothing_links_them(
    alice, restricted_case, open_case, sam, django_capture_on_commit_callbacks
):
    first = receive(alice, restricted_case, png(), name="a.png").file
    second = receive(sam, open_case, png(), name="b.png").file
    blob = first.blob
    bin_move(first, user=alice)
    assert not EvidenceFile.objects.visible_to(alice).filter(pk=first.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        bin_purge(EvidenceFile.objects.get(pk=first.pk), user=sam)
    assert StoredBlob.objects.filter(pk=blob.pk).exists()
    assert storages["evidence"].exists(blob.storage_name)  # the other record still links the bytes
    bin_move(second, user=sam)
    with django_capture_on_commit_callbacks(execute=True):
        bin_purge(EvidenceFile.objects.get(pk=second.pk), user=sam)
    assert not StoredBlob.objects.filter(pk=blob.pk).exists()
    assert not storages["evidence"].exists(blob.storage_name)


def test_a_file_is_visible_exactly_when_what_it_supports_is(alice, bob, olivia, restricted_case, sam):
    plain = receive(alice, restricted_case, PDF, name="plain.pdf").file
    marked = receive(alice, restricted_case, png(), name="marked.png", sensitive=True).file
    incident = factories.EventFactory(case=restricted_case, kind="welfare_incident")
    on_incident = receive(sam, restricted_case, jpeg(exif=False), links=Links(events=[incident])).file
    redacted = image_redact(user=sam, original=marked, rectangles=[(0, 0, 5, 5)], note="", channel="admin")

    def seen(user):
        return set(EvidenceFile.objects.visible_to(user).values_list("pk", flat=True))

    everything = {plain.pk, marked.pk, on_incident.pk, redacted.pk}
    assert seen(sam) == everything
    assert seen(bob) == {plain.pk}  # on the team, without people.view_sensitive
    assert seen(olivia) == set()  # outside the team
    bob.user_permissions.add(Permission.objects.get(codename="view_sensitive"))
    assert seen(type(bob).objects.get(pk=bob.pk)) == everything


def test_the_upload_benchmark_companion_measures_throughput_and_peak_memory():
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "bench/evidence_upload.py", "--size-mb", "4"], cwd=root, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    rows = json.loads(out.stdout.strip().splitlines()[-1])
    assert [row["phase"] for row in rows] == ["hash", "store"]
    assert all(row["mb_per_s"] > 0 and row["peak_rss_mb"] > 0 and row["media_type"] == "video/mp4" for row in rows)


def test_the_demo_case_holds_the_stand_in_photo_and_its_redacted_copy_once(sam):
    from django.core.management import call_command

    from casework.models import Case
    from events.demo import DEMO_TITLE

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # twice: nothing more
    case = Case.objects.get(title=DEMO_TITLE)
    photo = EvidenceFile.objects.get(case=case, original=None)
    assert photo.original_name == "jaw-injury-photo-standin.jpg" and photo.source.title.startswith("Jang Se-yul")
    assert photo.blob.metadata["gps"]  # a stand-in that carries what a phone adds, to show it stripped
    assert sorted(photo.derivatives.values_list("derivation", flat=True)) == ["metadata_stripped", "redacted"]
    assert {type(link.linked).__name__ for link in photo.links.all()} == {"Event", "Person"}
