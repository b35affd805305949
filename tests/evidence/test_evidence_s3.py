"""The evidence storage on an S3-compatible object store (django-storages),
against a real local S3 server (moto in server mode on 127.0.0.1), not a mock
of the client: upload, de-duplication, download, verification and purge."""

from __future__ import annotations

import io
import os

import boto3
import pytest
from django.core.management import call_command

from core.bin import bin_move, bin_purge
from evidence.models import StoredBlob
from tests.api_fixtures import client_for
from tests.evidence_support import PDF, png, receive, uploaded

pytestmark = pytest.mark.django_db
BUCKET = "vigil-evidence-test"


@pytest.fixture(scope="session")
def s3_server():
    """A moto S3 server for the session, on a port of this worker's own (8160, 8161, ...)."""
    from moto.server import ThreadedMotoServer

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    port = 8160 + int(worker.removeprefix("gw") or 0)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings):
    """The evidence storage switched to the S3 server, with an empty bucket."""
    client = boto3.client(
        "s3", endpoint_url=s3_server, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": None,
                "file_overwrite": True,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_an_api_upload_lands_in_the_bucket_once_and_downloads_whole(s3, alice, restricted_case):
    api = client_for(alice)
    first = api.post("/api/v1/files/", {"file": uploaded("a.pdf", PDF), "case": restricted_case.pk}, format="multipart")
    second = api.post(
        "/api/v1/files/", {"file": uploaded("b.pdf", PDF), "case": restricted_case.pk}, format="multipart"
    )
    assert first.status_code == second.status_code == 201
    sha = first.json()["sha256"]
    assert keys(s3) == [f"sha256/{sha[:2]}/{sha[2:4]}/{sha}"]
    assert s3.get_object(Bucket=BUCKET, Key=keys(s3)[0])["Body"].read() == PDF
    response = api.get(f"/api/v1/files/{second.json()['id']}/download/")
    assert b"".join(response.streaming_content) == PDF


def test_verify_files_catches_changed_missing_and_orphan_objects(s3, alice, restricted_case):
    changed = receive(alice, restricted_case, PDF, name="a.pdf").file.blob
    missing = receive(alice, restricted_case, png(), name="b.png").file.blob
    s3.put_object(Bucket=BUCKET, Key=changed.storage_name, Body=PDF + b"% added later\n")
    s3.delete_object(Bucket=BUCKET, Key=missing.storage_name)
    s3.put_object(Bucket=BUCKET, Key="sha256/00/00/" + "0" * 64, Body=b"stray")
    out = io.StringIO()
    call_command("verify_files", stdout=out)
    assert "Checked 2 stored files: 1 changed, 1 missing, 1 orphans." in out.getvalue()
    assert dict(StoredBlob.objects.values_list("pk", "check_result")) == {changed.pk: "mismatch", missing.pk: "missing"}


def test_purging_the_last_file_removes_its_object(s3, sam, restricted_case, django_capture_on_commit_callbacks):
    item = receive(sam, restricted_case, PDF).file
    assert len(keys(s3)) == 1
    bin_move(item, user=sam)
    with django_capture_on_commit_callbacks(execute=True):
        bin_purge(type(item).objects.get(pk=item.pk), user=sam)
    assert keys(s3) == []
