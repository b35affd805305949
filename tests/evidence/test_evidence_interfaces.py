"""Evidence through the three interfaces (issue 14): upload in the dashboard
(several at once), the admin and the API (multipart, and resumable chunks);
downloads, their log and their headers; hidden files are 404 everywhere."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from casework.models import CaseView, ExportLog
from evidence.models import EvidenceFile, FileDownload, UploadSession
from evidence.services import Links
from tests import factories
from tests.api_fixtures import client_for
from tests.evidence_support import HTML, PDF, jpeg, png, receive, uploaded

pytestmark = pytest.mark.django_db


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ------------------------------------------------------------------ dashboard


def test_the_dashboard_takes_several_files_at_once_and_answers_each_with_its_hash(alice, restricted_case):
    event = factories.EventFactory(case=restricted_case, title="Photos released")
    response = web(alice).post(
        f"/cases/{restricted_case.reference}/files/upload/",
        {"files": [uploaded("a.png", png()), uploaded("letter.pdf", PDF)], "events": [event.pk]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert [f["name"] for f in answer["files"]] == ["a.png", "letter.pdf"]
    assert answer["files"][1]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert {f.channel for f in EvidenceFile.objects.all()} == {"dashboard"}
    page = web(alice).get(f"/cases/{restricted_case.reference}/").content.decode()
    assert "letter.pdf" in page and hashlib.sha256(PDF).hexdigest() in page  # the case page's Files
    timeline = page.split('id="timeline"')[1].split('id="files"')[0]
    assert "a.png" in timeline  # on the event it supports


def test_the_dashboard_says_why_a_file_is_refused_and_keeps_the_others(alice, restricted_case, settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 500
    response = web(alice).post(
        f"/cases/{restricted_case.reference}/files/upload/",
        {"files": [uploaded("page.html", HTML), uploaded("big.pdf", PDF + b" " * 600), uploaded("ok.png", png())]},
        HTTP_ACCEPT="application/json",
    )
    answer = response.json()
    assert [f["name"] for f in answer["files"]] == ["ok.png"]
    assert "text/html" in answer["errors"]["page.html"][0]
    assert "larger than the limit of 500 bytes" in answer["errors"]["big.pdf"][0]


def test_the_upload_page_shows_what_a_photo_carries(sam, restricted_case):
    response = web(sam).post(
        f"/cases/{restricted_case.reference}/files/upload/",
        {"files": [uploaded("face.jpg", jpeg())]},
        HTTP_ACCEPT="application/json",
    )
    carries = dict(response.json()["files"][0]["carries"])
    assert carries["GPS position"] == "50.45000, 30.51667" and carries["camera serial number"] == "SERIAL-4242"
    assert response.json()["files"][0]["stripped"] is True


def test_the_files_page_uses_no_inline_script_and_serves_its_own(alice, restricted_case):
    page = web(alice).get(f"/cases/{restricted_case.reference}/files/").content.decode()
    assert "<script>" not in page and "evidence/upload.js" in page
    assert web(alice).get("/static/evidence/upload.js").status_code == 200


def test_the_redaction_tool_makes_a_redacted_copy(alice, restricted_case):
    original = receive(alice, restricted_case, png(size=(60, 60))).file
    response = web(alice).post(
        f"/cases/{restricted_case.reference}/files/{original.pk}/redact/", {"rectangles": "5,5,30,30", "note": "face"}
    )
    copy = EvidenceFile.objects.get(derived_from=original)
    assert response.status_code == 302 and response.headers["Location"] == copy.get_absolute_url()
    page = web(alice).get(original.get_absolute_url()).content.decode()
    assert "redacted copy" in page and copy.original_name in page
    bad = web(alice).post(f"/cases/{restricted_case.reference}/files/{original.pk}/redact/", {"rectangles": "a,b"})
    assert bad.status_code == 302 and EvidenceFile.objects.filter(derived_from=original).count() == 1


# ---------------------------------------------------------------------- admin


def test_the_admin_add_form_uploads_through_the_same_service(sam, restricted_case):
    response = web(sam).post(
        "/admin/evidence/evidencefile/add/",
        {"upload": uploaded("scan.pdf", PDF), "case": restricted_case.pk, "description": "Scan", "links-TOTAL_FORMS": 0,
         "links-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    item = EvidenceFile.objects.get()
    assert (item.channel, item.original_name, item.blob.sha256) == (
        "admin",
        "scan.pdf",
        hashlib.sha256(PDF).hexdigest(),
    )
    refused = web(sam).post(
        "/admin/evidence/evidencefile/add/", {"upload": uploaded("x.pdf", HTML), "case": restricted_case.pk}
    )
    assert refused.status_code == 200 and "text/html" in refused.content.decode()
    assert web(sam).get(f"/admin/evidence/evidencefile/{item.pk}/change/").status_code == 200


# ------------------------------------------------------------------------ API


def test_the_api_takes_a_multipart_upload(alice, restricted_case):
    api = client_for(alice)
    event = factories.EventFactory(case=restricted_case)
    response = api.post(
        "/api/v1/files/",
        {"file": uploaded("letter.pdf", PDF), "case": restricted_case.pk, "events": [event.pk]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest() and body["media_type"] == "application/pdf"
    assert body["events"] == [event.pk] and body["channel"] == "api"
    listed = api.get("/api/v1/files/", {"case": restricted_case.pk}).json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]


def test_the_api_refuses_a_type_and_a_size_with_their_reasons(alice, restricted_case, settings):
    api = client_for(alice)
    refused = api.post(
        "/api/v1/files/", {"file": uploaded("x.jpg", HTML), "case": restricted_case.pk}, format="multipart"
    )
    assert refused.status_code == 415 and "text/html" in refused.json()["file"][0]
    settings.EVIDENCE_MAX_FILE_BYTES = 100
    big = api.post(
        "/api/v1/files/", {"file": uploaded("big.pdf", PDF * 5), "case": restricted_case.pk}, format="multipart"
    )
    assert big.status_code == 413 and "limit of 100 bytes" in big.json()["file"][0]
    missing = api.post("/api/v1/files/", {"case": restricted_case.pk}, format="json")
    assert missing.status_code == 400 and "file" in missing.json()


def test_a_large_file_arrives_in_chunks_and_resumes_after_a_cut(alice, restricted_case):
    api = client_for(alice)
    data = b"%PDF-1.7\n" + bytes(range(256)) * 40
    start = api.post(
        "/api/v1/uploads/", {"name": "video-notes.pdf", "size": len(data), "case": restricted_case.pk}, format="json"
    )
    assert start.status_code == 201
    upload = f"/api/v1/uploads/{start.json()['id']}/"
    first = api.put(f"{upload}chunks/", data[:4000], content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="0")
    assert first.status_code == 200 and first.json()["received"] == 4000
    # The connection was cut: the client asks how much arrived, and resumes from there.
    assert api.get(upload).json()["received"] == 4000
    wrong = api.put(f"{upload}chunks/", data[100:], content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="100")
    assert wrong.status_code == 409 and wrong.json()["received"] == 4000
    last = api.put(f"{upload}chunks/", data[4000:], content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="4000")
    assert last.status_code == 201, last.content
    assert last.json()["sha256"] == hashlib.sha256(data).hexdigest()
    assert UploadSession.objects.get().file_id == last.json()["id"]
    assert client_for(factories.UserFactory(username="mallory", is_superuser=False)).get(upload).status_code in (
        403,
        404,
    )


# ------------------------------------------------------------------ downloads


def test_every_download_is_logged_and_a_restricted_one_joins_the_view_log(alice, restricted_case):
    item = receive(alice, restricted_case, PDF, name="letter.pdf").file
    response = web(alice).get(f"/cases/{restricted_case.reference}/files/{item.pk}/download/")
    assert b"".join(response.streaming_content) == PDF
    api = client_for(alice).get(f"/api/v1/files/{item.pk}/download/")
    assert b"".join(api.streaming_content) == PDF
    rows = list(FileDownload.objects.order_by("at").values_list("username", "sha256", "channel", "ip_address"))
    assert rows == [
        ("alice", item.blob.sha256, "dashboard", "127.0.0.1"),
        ("alice", item.blob.sha256, "api", "127.0.0.1"),
    ]
    assert CaseView.objects.filter(case=restricted_case, what=f"file #{item.pk}").count() == 2


def test_a_download_is_an_attachment_never_sniffed_and_sandboxed(alice, restricted_case):
    item = receive(alice, restricted_case, PDF, name="<script>.pdf").file
    response = web(alice).get(f"/cases/{restricted_case.reference}/files/{item.pk}/download/?inline=1")
    assert response.headers["Content-Disposition"].startswith("attachment;")  # a PDF is never shown inline
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Type"] == "application/pdf"
    image = receive(alice, restricted_case, png(), name="p.png").file
    inline = web(alice).get(f"/cases/{restricted_case.reference}/files/{image.pk}/download/?inline=1")
    assert inline.headers["Content-Disposition"].startswith("inline;")


def test_without_sensitive_access_a_photo_comes_without_its_metadata(alice, sam, restricted_case):
    item = receive(sam, restricted_case, jpeg(), name="face.jpg")
    url = f"/cases/{restricted_case.reference}/files/{item.file.pk}/download/"
    served = b"".join(web(alice).get(url).streaming_content)
    assert served != jpeg() and b"SERIAL-4242" not in served
    assert web(alice).get(f"{url}?variant=original").status_code == 403
    assert client_for(alice).get(f"/api/v1/files/{item.file.pk}/download/?variant=original").status_code == 403
    assert b"".join(web(sam).get(url).streaming_content) == jpeg()  # the original, to those allowed
    page = web(alice).get(item.file.get_absolute_url()).content.decode()
    assert "GPS position" in page and "30.51667" not in page and "SERIAL-4242" not in page
    assert FileDownload.objects.filter(username="alice", variant="stripped").count() == 1


# ------------------------------------------------------------------ hidden files


@pytest.fixture
def hidden(sam, alice, restricted_case):
    """A sensitive photo on the restricted case, and one on a welfare incident."""
    incident = factories.EventFactory(case=restricted_case, kind="welfare_incident")
    return [
        receive(sam, restricted_case, png(), name="secret-face.png", sensitive=True).file,
        receive(sam, restricted_case, PDF, name="secret-medical.pdf", links=Links(events=[incident])).file,
    ]


def routes(item) -> list[str]:
    ref = item.case.reference
    return [
        f"/cases/{ref}/files/{item.pk}/",
        f"/cases/{ref}/files/{item.pk}/download/",
        f"/cases/{ref}/files/{item.pk}/download/?variant=original",
        f"/api/v1/files/{item.pk}/",
        f"/api/v1/files/{item.pk}/download/",
    ]


@pytest.mark.parametrize("who", ["olivia", "bob"])
def test_a_hidden_file_is_a_404_through_every_route_and_its_name_size_and_hash_never_show(
    who, hidden, request, restricted_case
):
    user = request.getfixturevalue(who)  # olivia: outside the team; bob: on it, without sensitive access
    browser, api = web(user), client_for(user)
    for item in hidden:
        for url in routes(item):
            response = (api if url.startswith("/api/") else browser).get(url)
            assert response.status_code == 404, url
        for url in (
            f"/cases/{restricted_case.reference}/files/",
            "/api/v1/files/",
            f"/cases/{restricted_case.reference}/",
        ):
            response = (api if url.startswith("/api/") else browser).get(url)
            body = response.content.decode()
            assert item.original_name not in body and item.blob.sha256 not in body, url
        for url, data in (
            (f"/cases/{restricted_case.reference}/files/{item.pk}/redact/", {"rectangles": "1,1,2,2"}),
            (f"/cases/{restricted_case.reference}/files/{item.pk}/derive/", {"derivation": "translation", "note": "x"}),
        ):
            assert browser.post(url, data).status_code == 404
        derived = api.post(
            "/api/v1/files/", {"file": uploaded("t.txt", b"text"), "derived_from": item.pk, "derivation": "transcript"},
            format="multipart",
        )  # fmt: skip
        assert derived.status_code == 400 and item.original_name not in derived.content.decode()
    assert not FileDownload.objects.exists()


def test_the_team_member_with_sensitive_access_reaches_the_same_routes(hidden, bob):
    bob.user_permissions.add(Permission.objects.get(codename="view_sensitive"))
    bob = type(bob).objects.get(pk=bob.pk)
    for item in hidden:
        for url in routes(item):
            assert (client_for(bob) if url.startswith("/api/") else web(bob)).get(url).status_code == 200, url


def test_a_custody_manifest_from_the_dashboard_is_logged_as_an_export(sam, restricted_case):
    receive(sam, restricted_case, PDF)
    response = web(sam).get(f"/cases/{restricted_case.reference}/custody/manifest.zip")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    assert ExportLog.objects.get().what == f"custody {restricted_case.reference}"
    assert web(sam).get(f"/cases/{restricted_case.reference}/custody/").status_code == 200


def test_the_api_changes_only_a_files_description_and_deleting_moves_it_to_the_bin(alice, restricted_case):
    from tests.api_fixtures import if_match

    api = client_for(alice)
    item = receive(alice, restricted_case, PDF, name="letter.pdf").file
    path = f"/api/v1/files/{item.pk}/"
    changed = api.patch(path, {"description": "The ministry's answer", "original_name": "renamed.pdf"}, format="json",
                        **if_match(api, path))  # fmt: skip
    assert changed.status_code == 200, changed.content
    assert (changed.json()["description"], changed.json()["original_name"]) == ("The ministry's answer", "letter.pdf")
    assert api.delete(path, **if_match(api, path)).status_code == 204
    assert api.get(path).status_code == 404
    item.refresh_from_db()
    assert item.in_bin and item.deleted_by == alice


def test_every_change_of_a_file_is_in_its_history(alice, restricted_case):
    item = receive(alice, restricted_case, PDF).file
    EvidenceFile.objects.filter(pk=item.pk).update(description="later")
    assert list(item.history.order_by("pgh_id").values_list("pgh_label", flat=True)) == ["insert", "update"]
    assert item.blob.history.count() == 1
