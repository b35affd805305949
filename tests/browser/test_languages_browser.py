"""Hangul and Cyrillic render with Vigil's own web font, on screen and in print,
on a machine with no Korean font of its own: Chromium reports which font drew
each node's glyphs (CSS.getPlatformFontsForNode), so a missing glyph (tofu) or a
system fallback cannot pass unnoticed."""

from __future__ import annotations

import pytest

from core.services import preferences_set
from tests import factories
from tests.dashboard_data import build_kursk_case, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def signed_in(page, base_url: str, username: str, path: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={path}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#main form button[type=submit]").first.click()
    page.wait_for_url(f"{base_url}{path}")
    page.evaluate("document.fonts.ready.then(() => true)")


def fonts_drawing(page, selector: str) -> list[dict]:
    """The fonts Chromium used for the text of the first node matching ``selector``."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def assert_drawn_by_vigils_font(fonts: list[dict], what: str) -> None:
    ours = [f for f in fonts if f["isCustomFont"] and "Noto Sans KR" in f["familyName"]]
    assert ours and ours[0]["glyphCount"] > 0, f"{what}: drawn by {fonts}"
    others = [f for f in fonts if not f["isCustomFont"]]
    assert not others, f"{what}: some glyphs fell back to a system font: {others}"


@pytest.fixture
def korean_case(db, served):
    lead = factories.UserFactory(username="minji", password=PASSWORD)
    case = build_kursk_case(lead=lead)
    grant(lead, "view", "add", "change")
    return case, lead


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ko", "리정철"), ("ru", "Ри Чон Чхоль")],
)
def test_names_in_hangul_and_cyrillic_render_in_vigils_font(page, served, korean_case, language, expected, screenshot):
    case, lead = korean_case
    preferences_set(user=lead, language=language, time_zone="Asia/Seoul")
    path = f"/cases/{case.reference}/"
    signed_in(page, served.url, "minji", path)
    heading = page.locator(".person__name span[lang]").filter(has_text=expected).first
    assert heading.is_visible()
    assert page.locator("html").get_attribute("lang") == language
    selector = f'.person__name span[lang="{heading.get_attribute("lang")}"]'
    assert_drawn_by_vigils_font(fonts_drawing(page, selector), f"{expected} on screen")
    screenshot(page, f"case-page-{language}")


def test_hangul_renders_in_vigils_font_in_the_printed_dossier(page, served, korean_case):
    case, lead = korean_case
    preferences_set(user=lead, language="ko", time_zone="")
    path = f"/cases/{case.reference}/dossier/"
    signed_in(page, served.url, "minji", path)
    page.emulate_media(media="print")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert_drawn_by_vigils_font(fonts_drawing(page, '.dossier__person h3 span[lang="ko"]'), "the dossier")


def interface_phrases(language: str | None = None) -> list[str]:
    """The English of every string the interface marks (locale/source-strings.pot) that could be
    told apart from a record's own words: phrases of two words or more, and capitalised words.
    With a language, not the strings its catalogue keeps as they are ("SHA-256")."""
    import re

    from tests.project.test_catalogues import LOCALE, TEMPLATE, catalogue, msgids

    same = set()
    if language:
        for message in catalogue(LOCALE / language / "LC_MESSAGES" / "django.po"):
            strings = message.string if message.pluralizable else (message.string,)
            if message.id and (message.id[0] if message.pluralizable else message.id) in strings:
                same.add(message.id)
    phrases = []
    for msgid in msgids(TEMPLATE) - same:
        for text in msgid if isinstance(msgid, tuple) else (msgid,):
            plain = re.sub(r"%\(\w+\)[sd]", "", text).strip(" .:(…")
            if not re.search(r"[A-Za-z]{3}", plain) or plain == "Vigil":
                continue
            if " " in plain.strip() or (plain[:1].isupper() and len(plain) >= 5):
                phrases.append(plain)
    return phrases


def english_left(page, phrases: list[str]) -> list[str]:
    import re

    text = page.locator("body").inner_text()
    return sorted({p for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text)})


@pytest.mark.parametrize("language", ["ko", "uk", "ru"])
def test_a_user_walks_vigil_in_their_language_and_meets_no_interface_english(page, served, korean_case, language):
    case, lead = korean_case
    preferences_set(user=lead, language=language, time_zone="Europe/Kyiv")
    phrases = interface_phrases(language)
    found = {}
    signed_in(page, served.url, "minji", "/")
    found["home"] = english_left(page, phrases)
    page.goto(f"{served.url}/cases/{case.reference}/")
    found["case page"] = english_left(page, phrases)
    page.goto(f"{served.url}/cases/{case.reference}/events/new/")
    page.locator("#main form button[type=submit]").last.click()  # nothing filled in: errors, field by field
    page.wait_for_selector(".errorlist")
    found["event form with errors"] = english_left(page, phrases)
    page.goto(f"{served.url}/cases/{case.reference}/dossier/")
    found["dossier"] = english_left(page, phrases)
    assert not any(found.values()), found
    assert page.locator("html").get_attribute("lang") == language


@pytest.fixture
def everything_to_see(korean_case):
    """The lead may import, review duplicates and add files, and has something on every page:
    a finished background work, a notification, a file, a pair of possible duplicates."""
    from core.models import BackgroundWork, WorkState
    from people.models import DuplicatePair, Person
    from tests.evidence_support import png, receive
    from watch.models import Notification
    from watch.models.choices import Trigger

    case, lead = korean_case
    lead = grant(lead, "exchange.import_records", "people.review_duplicates", "evidence.report_custody")
    BackgroundWork.objects.create(kind="import", title="VIG-2025-0001.csv", owner=lead, state=WorkState.DONE,
                                  done=12, total=12, attempts=2)  # fmt: skip
    Notification.objects.create(user=lead, trigger=Trigger.CASE_EVENT, key="walk", case=case, text=case.reference)
    file = receive(lead, case, png(), name="portrait.png").file
    first, second = Person.objects.order_by("pk")[:2]
    DuplicatePair.objects.create(person_a=first, person_b=second, score=61, reasons=[])
    return case, lead, file, imported(lead, first)


def imported(lead, person):
    """A committed import whose report says what its dry run keeps: reasons, warnings, changes."""
    from core.phrases import choice, phrase
    from exchange.models import BatchState, ImportBatch
    from exchange.phrases import duplicate_reasons

    row = {"row": 2, "action": "update", "person": {"id": person.pk, "name": str(person)}, "errors": []}
    report = [
        {**row, "what": [phrase("import-person"), phrase("import-new-case", title="Kursk")],
         "reasons": [phrase("import-same-identifier", kind=choice("identifier_kind", "icrc"), value="ICRC-102")],
         "changes": [phrase("import-change", field=choice("person_field", "status"), was="detained", now="released")],
         "warnings": [phrase("import-possible-duplicate", person=str(person), id=person.pk, score=61,
                             reasons=duplicate_reasons(["id:icrc", "born:year"]))]},
        {**row, "row": 3, "action": "skip", "person": None, "what": [], "reasons": [phrase("import-empty-row")],
         "changes": [], "warnings": []},
    ]  # fmt: skip
    counts = {"create": 0, "update": 1, "link": 0, "skip": 1, "error": 0}
    return ImportBatch.objects.create(
        filename="kursk.csv", sha256="0" * 64, size=1, created_by=lead, state=BatchState.COMMITTED,
        report=report, dry_run_counts={**counts, "rows": 2}, counts={"update": 1, "skip": 1},
    )  # fmt: skip


@pytest.mark.parametrize("language", ["ko", "uk", "ru"])
def test_the_watch_import_evidence_duplicates_and_error_pages_speak_the_users_language(
    page, served, everything_to_see, language, screenshot
):
    case, lead, file, batch = everything_to_see
    preferences_set(user=lead, language=language, time_zone="Asia/Seoul")
    phrases = interface_phrases(language)
    pages = {
        "background work": "/watch/work/",
        "notifications": "/watch/notifications/",
        "notification settings": "/watch/settings/",
        "imports": "/imports/",
        "import report": batch.get_absolute_url(),
        "case files": f"/cases/{case.reference}/files/",
        "a file": file.get_absolute_url(),
        "custody report": f"/cases/{case.reference}/custody/",
        "possible duplicates": "/people/duplicates/",
        "not found": "/cases/VIG-1999-9999/",
    }
    signed_in(page, served.url, "minji", "/")
    found = {}
    for name, path in pages.items():
        response = page.goto(f"{served.url}{path}")
        assert response.status == (404 if name == "not found" else 200), (name, response.status)
        assert page.locator("html").get_attribute("lang") == language, name
        found[name] = english_left(page, phrases)
        if name in {"background work", "a file", "not found", "import report"}:
            screenshot(page, f"{name.replace(' ', '-')}-{language}")
    assert not any(found.values()), {name: left for name, left in found.items() if left}
