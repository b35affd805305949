"""The chain of custody (issue 14): verify_files catches changed, missing and
orphan bytes (and resumes), the custody manifest verifies with its signature
(in Python and with OpenSSL, as a third party would), export_evidence packs it all."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.storage import storages
from django.core.management import call_command

from casework.models import ExportLog
from core.roles import DATA_MANAGER
from evidence import signing
from evidence.models import StoredBlob, VerificationRun
from evidence.packing import signed_manifest
from evidence.selectors import custody_report
from evidence.services import image_redact
from tests.evidence_support import PDF, png, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def clean_store(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def tamper(blob: StoredBlob, data: bytes) -> None:
    path = Path(storages["evidence"].path(blob.storage_name))
    path.chmod(0o640)
    path.write_bytes(data)


def run_verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_files", *args, stdout=out)
    return out.getvalue()


def test_verify_files_reports_a_changed_a_missing_and_an_orphan_file_and_alerts_data_managers(
    clean_store, alice, restricted_case, sam
):
    manager = type(alice).objects.create(username="dora", email="dora@example.org")
    manager.groups.add(Group.objects.get(name=DATA_MANAGER))
    changed = receive(alice, restricted_case, PDF, name="letter.pdf").file.blob
    missing = receive(alice, restricted_case, png(), name="gone.png").file.blob
    intact = receive(alice, restricted_case, png(colour=(1, 2, 3)), name="fine.png").file.blob
    tamper(changed, PDF.replace(b"Catalog", b"Katalog"))
    storages["evidence"].delete(missing.storage_name)
    (clean_store / "sha256" / "stray").mkdir(parents=True)
    (clean_store / "sha256" / "stray" / ("f" * 64)).write_bytes(b"left behind")

    output = run_verify()
    assert f"CHANGED  {changed.sha256}" in output and f"MISSING  {missing.sha256}" in output
    assert f"ORPHAN   sha256/stray/{'f' * 64}" in output
    assert "Checked 3 stored files: 1 changed, 1 missing, 1 orphans." in output
    results = dict(StoredBlob.objects.values_list("sha256", "check_result"))
    assert results == {changed.sha256: "mismatch", missing.sha256: "missing", intact.sha256: "ok"}
    assert [sorted(message.to) for message in mail.outbox] == [["dora@example.org", "sam@example.org"]]
    assert changed.sha256 in mail.outbox[0].body
    report = custody_report(case=restricted_case, user=sam)
    assert report["last_verification_run"]["mismatched"] == [changed.sha256]


def test_verify_files_resumes_an_interrupted_run_where_it_stopped(clean_store, alice, restricted_case):
    blobs = [receive(alice, restricted_case, png(colour=(n, n, n))).file.blob for n in range(3)]
    VerificationRun.objects.create(last_blob_id=blobs[0].pk, checked=1)  # stopped after the first
    output = run_verify("-v", "2")
    assert "[2/3]" in output and "[3/3]" in output and "[1/3]" not in output
    run = VerificationRun.objects.get()
    assert run.finished_at is not None and run.checked == 3 and run.is_clean
    assert "[1/3]" in run_verify("-v", "2")  # a finished run is not resumed: a new one starts


def test_the_custody_manifest_lists_each_file_and_verifies_with_its_signature(sam, restricted_case, tmp_path):
    original = receive(sam, restricted_case, png(size=(30, 30)), name="face.png").file
    copy = image_redact(user=sam, original=original, rectangles=[(1, 1, 9, 9)], note="face", channel="dashboard")
    report = custody_report(case=restricted_case, user=sam)
    rows = {row["id"]: row for row in report["files"]}
    assert rows[original.pk]["sha256"] == original.blob.sha256 and rows[original.pk]["uploaded_by"] == "sam"
    assert rows[copy.pk]["derived_from"] == original.pk and rows[copy.pk]["derivation"] == "redacted"
    data, signature = signed_manifest(report)
    public = signing.public_key_pem()
    assert signing.verify(data, signature, public)
    assert not signing.verify(data.replace(original.blob.sha256.encode(), b"0" * 64), signature, public)
    assert json.loads(data)["case"]["reference"] == restricted_case.reference
    if shutil.which("openssl"):  # as a third party checks it
        (tmp_path / "manifest.json").write_bytes(data)
        (tmp_path / "manifest.json.sig").write_bytes(signature)
        (tmp_path / "key.pem").write_text(public)
        checked = subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin", "-in", "manifest.json",
             "-sigfile", "manifest.json.sig"],
            cwd=tmp_path, capture_output=True, text=True, check=False, env={**os.environ},
        )  # fmt: skip
        assert "Signature Verified Successfully" in checked.stdout, checked.stderr


def test_export_evidence_packs_files_derivatives_and_the_signed_manifest_and_logs_it(sam, restricted_case, tmp_path):
    original = receive(sam, restricted_case, png(size=(20, 20)), name="face.png").file
    image_redact(user=sam, original=original, rectangles=[(1, 1, 5, 5)], note="", channel="dashboard")
    receive(sam, restricted_case, PDF, name="letter.pdf")
    target = tmp_path / "out.zip"
    call_command(
        "export_evidence", restricted_case.reference.lower(), "--user", "sam", "-o", str(target), stdout=io.StringIO()
    )
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        manifest = archive.read("manifest.json")
        assert signing.verify(manifest, archive.read("manifest.json.sig"), archive.read("public-key.pem"))
        for row in json.loads(manifest)["files"]:
            member = next(name for name in names if "/" in name and name.split("/", 1)[1].startswith(f"{row['id']}-"))
            assert hashlib.sha256(archive.read(member)).hexdigest() == row["sha256"]
    assert sum(name.startswith("derived/") for name in names) == 1 and "VERIFY.txt" in names
    log = ExportLog.objects.get()
    assert (log.what, log.rows, log.channel, log.username) == (
        f"evidence {restricted_case.reference}",
        3,
        "command",
        "sam",
    )


def test_export_evidence_refuses_a_case_the_user_may_not_see(olivia, restricted_case):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No case"):
        call_command("export_evidence", restricted_case.reference, "--user", "olivia", "-o", "/dev/null")


@pytest.mark.django_db(transaction=True)
def test_the_periodic_job_re_hashes_every_file_and_alerts_data_managers_of_a_change(
    clean_store, alice, restricted_case, sam
):
    from evidence.tasks import verify_files
    from tests.watch.conftest import run_worker

    changed = receive(alice, restricted_case, PDF, name="letter.pdf").file.blob
    receive(alice, restricted_case, png(), name="fine.png")
    tamper(changed, PDF.replace(b"Catalog", b"Katalog"))

    verify_files.defer()
    run_worker()  # a real Procrastinate worker, in this process

    run = VerificationRun.objects.get(finished_at__isnull=False)
    assert (run.checked, run.mismatched, run.missing) == (2, [changed.sha256], [])
    assert any(changed.sha256 in message.body and "sam@example.org" in message.to for message in mail.outbox)
