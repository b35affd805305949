"""A data manager brings a spreadsheet in through the dashboard, in headless Chromium:
upload, map the columns with a preview, dry run, import; then reviews a duplicate and
makes a public export. Screenshots land in test-artifacts/."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from casework.models import Case
from exchange.models import BatchState, ImportBatch
from people.models import Person
from tests.browser.test_dashboard_browser import sign_in
from tests.exchange_files import xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(served, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo_user", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def test_a_data_manager_imports_a_messy_workbook_reviews_a_duplicate_and_exports(page, served, demo, screenshot):
    clicks = 0
    sign_in(page, served.url, next_path="/imports/")
    page.set_input_files("#id_file", files=[{"name": "detainees.xlsx", "mimeType": "application/octet-stream",
                                              "buffer": xlsx_bytes()}])  # fmt: skip
    page.get_by_role("button", name="Upload and map").click()
    clicks += 1
    page.wait_for_url("**/imports/*/")
    assert page.locator(".preview-value", has_text="Kim Hyok / 김혁").count() >= 1
    mapping = page.locator("table.mapping")
    for column, translations in (("Status", "held=in_detention; freed=released"),
                                 ("Request", "meds=medicine; go south=transfer"),
                                 ("Request status", "waiting=stalled")):  # fmt: skip
        row = mapping.locator("tr", has=page.locator("th", has_text=column)).filter(
            has=page.locator(f'th:text-is("{column}")')
        )
        row.locator("input[name^=choices_]").fill(translations)
    page.get_by_label("Save this mapping as").fill("NGO workbook")
    screenshot(page, "import-1-mapping")
    page.get_by_role("button", name="Check every row (dry run)").click()
    clicks += 1
    page.wait_for_selector(".dry-run-counts")
    assert page.locator(".count-create").inner_text() == "3"
    assert page.locator(".count-error").inner_text() == "2"
    bad = page.locator(".report-row--error[data-row='8']")
    assert "31 February 2001 is not a date" in bad.inner_text() and "Atlantis" in bad.inner_text()
    assert "the same person as row 2" in page.locator(".report-row[data-row='7']").inner_text()
    assert not Person.objects.filter(display_name="Kim Hyok").exists(), "a dry run writes nothing"
    screenshot(page, "import-2-dry-run")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rejected rows").click()
        clicks += 1
    assert "Atlantis" in download.value.path().read_text("utf-8")
    page.get_by_role("button", name="Import").click()
    clicks += 1
    page.wait_for_selector(".import-counts")
    assert ImportBatch.objects.get().state == BatchState.COMMITTED
    assert Case.objects.filter(title="Kursk prisoners").exists()
    screenshot(page, "import-3-done")

    # The demo's Ri Jong Chol, and a record of him in Cyrillic: the review finds them.
    ri = Person.objects.get(display_name="Ri Jong Chol")
    Person.objects.create(display_name="Ли Чон Чхоль", nationality="KP")
    page.goto(f"{served.url}/people/{ri.pk}/duplicates/")
    candidate = page.locator(".candidate", has_text="Ли Чон Чхоль")
    assert "name matches in Cyrillic + Latin" in candidate.inner_text()
    screenshot(page, "duplicates-1-compare")
    candidate.get_by_role("button", name="Merge into this record").click()
    clicks += 1
    page.wait_for_url(f"**/people/{ri.pk}/")
    assert page.get_by_text("Ли Чон Чхоль").count() >= 1, "the other spelling is now one of his names"

    page.goto(f"{served.url}/exports/")
    page.get_by_label("Profile").select_option("public")
    page.get_by_label("Format").select_option("json")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
        clicks += 1
    exported = download.value.path().read_text("utf-8")
    assert "Ri Jong Chol" not in exported and "P-" in exported
    assert clicks == 6  # upload, dry run, rejected rows, import, merge, export


def test_a_data_manager_defines_a_partner_profile_and_exports_public_and_partner_files(page, served, demo, screenshot):
    """The public profile's file holds no sensitive value of the demo; a partner profile defined
    on its page carries only the fields ticked."""
    import json

    from people.models import Person
    from tests.exchange.test_export_profiles import sensitive_strings

    clicks = 0
    sign_in(page, served.url, next_path="/exports/profiles/")
    page.locator("#id_name").fill("ICRC Kyiv")
    page.get_by_label("For whom, and why these fields").fill("The delegation that visits the camps")
    people = page.locator("fieldset", has=page.locator("legend", has_text="People"))
    for field in ("display name", "nationality"):
        people.get_by_label(field, exact=True).check()
        clicks += 1
    page.locator("fieldset", has=page.locator("legend", has_text="Cases")).get_by_label("reference", exact=True).check()
    clicks += 1
    screenshot(page, "profiles-1-new")
    page.get_by_role("button", name="Save the profile").click()
    clicks += 1
    page.wait_for_selector("text=ICRC Kyiv")
    screenshot(page, "profiles-2-saved")

    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Export").click()
    clicks += 1
    page.wait_for_url("**/exports/")
    page.get_by_label("Profile").select_option("public")
    page.get_by_label("Format").select_option("json")
    clicks += 2
    with page.expect_download() as download:
        page.get_by_role("button", name="Export", exact=True).click()
        clicks += 1
    public = download.value.path().read_text("utf-8")
    leaked = [value for value in sensitive_strings() if value in public]
    assert not leaked, f"the public file holds {leaked[:5]}"
    assert "P-" in public

    page.get_by_label("Profile").select_option("ICRC Kyiv")
    clicks += 1
    screenshot(page, "profiles-3-export")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export", exact=True).click()
        clicks += 1
    partner = json.loads(download.value.path().read_text("utf-8"))
    assert set(partner) == {"people", "cases"}
    assert all(set(row) == {"display_name", "nationality"} for row in partner["people"])
    assert "Ri Jong Chol" in {row["display_name"] for row in partner["people"]}
    sensitive = {str(getattr(p, name)) for p in Person.objects.all() for name in Person.SENSITIVE_FIELDS}
    assert not [v for v in sensitive if len(v) > 3 and v in json.dumps(partner, ensure_ascii=False)]
    assert clicks == 10  # 3 ticks, save, back to Export, profile + format, export, partner profile, export
