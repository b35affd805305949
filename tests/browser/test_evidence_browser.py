"""Evidence in headless Chromium: the demo user uploads a photo to the demo
case's source (chosen, and one dropped on the drop zone), sees it on the case
page and its timeline, redacts it and downloads it. Screenshots in test-artifacts/."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from events.models import Source
from evidence.models import EvidenceFile
from tests.browser.test_dashboard_browser import demo, sign_in  # noqa: F401 (demo: the fixture)
from tests.evidence_support import jpeg, png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_photo_uploaded_to_the_demo_source_is_on_the_case_page_and_timeline_and_downloads_whole(
    page,
    served,
    demo,  # noqa: F811 (the fixture imported above)
    screenshot,
    tmp_path,
):
    jang = Source.objects.get(title__startswith="Jang Se-yul's account")
    photo = tmp_path / "meeting-photo.jpg"
    photo.write_bytes(jpeg(exif=True, size=(320, 200)))
    sign_in(page, served.url, next_path=demo.get_absolute_url())

    # The case page already holds the demo's stand-in photo; its Files section leads to the upload.
    files = page.locator("#files")
    assert "jaw-injury-photo-standin.jpg" in files.inner_text()
    files.get_by_role("link", name="Add or see files").click()
    page.wait_for_url(re.compile(r"/files/$"))

    # Choose a file (sent with the source) and drop another on the drop zone: two uploads, each with progress.
    page.get_by_label("Source", exact=True).select_option(value=str(jang.pk))
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="Upload").click()
    done = page.locator(".upload--done")
    done.first.wait_for()
    assert "meeting-photo.jpg" in done.first.inner_text()
    assert hashlib.sha256(photo.read_bytes()).hexdigest() in done.first.inner_text()
    assert "GPS position: 50.45000, 30.51667" in done.first.inner_text()  # what the photo carries, shown
    page.locator("[data-dropzone]").evaluate(
        """(zone, bytes) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], "dropped.png", {type: "image/png"}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        list(png()),
    )
    page.locator(".upload--done", has_text="dropped.png").wait_for()
    screenshot(page, "evidence-upload")
    uploaded = EvidenceFile.objects.get(original_name="meeting-photo.jpg")
    assert (uploaded.source, uploaded.channel) == (jang, "dashboard")

    # On the case page: in Files, and on the timeline entries citing Jang Se-yul's account.
    page.goto(f"{served.url}{demo.get_absolute_url()}")
    assert "meeting-photo.jpg" in page.locator("#files").inner_text()
    citing = page.locator(".timeline__entry", has=page.locator(".entry-files", has_text="meeting-photo.jpg"))
    assert citing.count() >= 1
    assert "Jang Se-yul" in citing.first.inner_text()
    screenshot(page, "evidence-case-page")

    # Its page: the hash, what it carries; redact an area with the tool; download the original.
    citing.first.get_by_role("link", name="meeting-photo.jpg").click()
    page.wait_for_url(re.compile(rf"/files/{uploaded.pk}/$"))
    assert uploaded.blob.sha256 in page.locator(".facts--stacked").inner_text()
    box = page.locator("[data-redact-image]").bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + 50, steps=4)
    page.mouse.up()
    assert re.fullmatch(r"\d+,\d+,\d+,\d+", page.locator("[data-redact-rectangles]").input_value().strip())
    screenshot(page, "evidence-file")
    with page.expect_download() as download_info:
        page.locator("[data-download]").click()
    path = download_info.value.path()
    assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == uploaded.blob.sha256
    page.get_by_role("button", name="Make a redacted copy").click()
    page.wait_for_url(re.compile(r"/files/\d+/$"))
    assert "Redacted copy made" in page.locator(".messages").inner_text()
    assert EvidenceFile.objects.filter(derived_from=uploaded, derivation="redacted").count() == 1
    screenshot(page, "evidence-redacted")
