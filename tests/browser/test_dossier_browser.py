"""The printed dossier, as Chromium prints it (page.pdf()): redacted for an editor
without people.view_sensitive, full and CONFIDENTIAL on every page for a data
manager, in the order of a meeting, with a footer and page numbers."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.contrib.auth.models import Group
from pypdf import PdfReader

from casework.models import CaseNote, CaseView
from core.roles import DATA_MANAGER, EDITOR
from tests import factories
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard_browser import demo  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def user_with(role: str, username: str):
    user = factories.UserFactory(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    return user


def sign_in(page, base_url: str, username: str, path: str) -> None:
    page.goto(f"{base_url}{path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}{path}")


def printed(page, name: str) -> list[str]:
    """The text of each page of the PDF Chromium prints, as a reader holds it (kept in test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    pages = PdfReader(io.BytesIO(pdf)).pages
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in pages]  # "ﬁ" → "fi"


def test_an_editor_prints_a_redacted_dossier_in_the_order_of_a_meeting(page, served, demo):  # noqa: F811
    CaseNote.objects.create(case=demo, body="Internal: do not tell the ministry about our source.")
    user_with(EDITOR, "erin-editor")
    path = f"/cases/{demo.reference}/dossier/"
    sign_in(page, served.url, "erin-editor", path)
    pages = printed(page, "dossier-redacted")
    text = " ".join(pages)
    for absent in ("self-harm", "Emotional distress", "jaw injury", "Internal: do not tell", "CONFIDENTIAL"):
        assert absent not in text, absent
    # Meeting order: people, requests, positions, timeline.
    order = [
        text.index(heading) for heading in ("The people", "What they asked for", "Governments' positions", "Timeline")
    ]
    assert order == sorted(order)
    assert "Will accept them if their intentions are verified." in text
    assert "Q4 2024" in text  # dates as written, the year never clipped
    assert demo.reference in pages[-1] and "by erin-editor" in pages[-1]
    assert f"1 / {len(pages)}" in pages[0] and f"{len(pages)} / {len(pages)}" in pages[-1]  # no English word
    # The full dossier is not for an editor without the permission to see sensitive details.
    response = page.goto(f"{served.url}{path}?full=1")
    assert response.status == 403


def test_a_data_manager_prints_the_full_dossier_confidential_on_every_page_and_logged(page, served, demo):  # noqa: F811
    user_with(DATA_MANAGER, "dana-manager")
    path = f"/cases/{demo.reference}/dossier/?full=1"
    sign_in(page, served.url, "dana-manager", path)
    pages = printed(page, "dossier-full")
    text = " ".join(pages)
    assert "self-harm" in text and "jaw injury" in text
    assert all("CONFIDENTIAL" in p for p in pages)
    assert CaseView.objects.filter(case=demo, username="dana-manager", what="dossier (full)").count() == 1
