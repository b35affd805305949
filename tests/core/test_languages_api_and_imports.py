"""The API's operation descriptions and an import's report are written in the reader's
language: nothing a Korean or Ukrainian client reads there is the English source left over."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from rest_framework.test import APIClient

from core.phrases import render
from exchange.phrases import counts, shown_report
from tests.exchange_files import MAPPING, csv_bytes

LOCALE = Path(settings.BASE_DIR) / "locale"


def _msgids(language: str) -> set[str]:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return {message.id for message in read_po(po) if message.id and not message.pluralizable}


def _descriptions(editor_api, language: str) -> dict[tuple[str, str], str]:
    response = editor_api.get("/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    return {
        (path, method): operation.get("description", "")
        for path, methods in paths.items()
        for method, operation in methods.items()
        if isinstance(operation, dict) and "operationId" in operation
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["uk", "ko"])
def test_every_operation_is_described_in_the_language_the_client_asks_for(editor_api, language):
    english = _descriptions(editor_api, "en")
    shown = _descriptions(editor_api, language)
    catalogue = _msgids(language)
    assert len(english) > 100 and set(shown) == set(english)
    undescribed = [operation for operation, text in english.items() if not text]
    assert not undescribed, undescribed
    # Each English description is a catalogue entry (so it is translated), and the client reads its translation.
    not_in_catalogue = sorted({text for text in english.values() if text not in catalogue})
    assert not not_in_catalogue, not_in_catalogue
    left_english = [operation for operation, text in shown.items() if text == english[operation]]
    assert not left_english, left_english


@pytest.mark.django_db
def test_error_answers_are_described_in_the_clients_language(editor_api):
    response = editor_api.get("/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="ru")
    answers = json.loads(response.content)["paths"]["/api/v1/cases/"]["get"]["responses"]
    assert "No valid token or session." not in answers["401"]["description"]
    assert answers["401"]["description"]


# ------------------------------------------------------------------------- imports


def _report() -> list[dict]:
    """Rows as the dry run keeps them (exchange.imports.classify): phrases and duplicate codes."""
    from core.phrases import choice, fuzzy, phrase
    from exchange.mappings import ReportedDate
    from exchange.phrases import duplicate_reasons

    return [
        {
            "row": 2,
            "action": "skip",
            "what": [],
            "reasons": [phrase("import-empty-row")],
            "changes": [],
            "warnings": [],
        },
        {
            "row": 3,
            "action": "update",
            "what": [phrase("import-person"), phrase("import-new-case", title="Kursk")],
            "reasons": [phrase("import-same-identifier", kind=choice("identifier_kind", "icrc"), value="ICRC-102")],
            "changes": [
                phrase("import-change", field=choice("person_field", "status"), was="detained", now="released")
            ],
            "warnings": [
                phrase(
                    "import-uncertain-date",
                    column="Born",
                    text="2001?",
                    value=fuzzy(ReportedDate(datetime.date(2001, 1, 1), "year", True)),
                ),
                phrase(
                    "import-possible-duplicate",
                    person="Ri Jong-chol",
                    id=7,
                    score=80,
                    reasons=duplicate_reasons(["id:icrc", "born:year"]),
                ),
            ],
        },
        {
            "row": 4,
            "action": "link",
            "what": [],
            "reasons": ["the same person as row 2"],
            "changes": [],
            "warnings": [],
        },
    ]


@pytest.mark.django_db
def test_an_imports_reasons_and_warnings_are_read_in_the_readers_language():
    with translation.override("en"):
        english = shown_report(_report())
    assert english[0]["reasons"] == ["empty row"]
    assert english[1]["reasons"] == ["same ICRC reference ICRC-102"]
    assert english[1]["what"] == ["person", "new case “Kursk”"]
    assert english[1]["warnings"][1] == (
        "Possible duplicate of Ri Jong-chol (#7, score 80: same ICRC reference, born the same year)."
    )
    assert english[2]["reasons"] == ["the same person as row 2"]  # a report kept before phrases: as it is
    for language in ("ko", "uk", "ru"):
        with translation.override(language):
            shown = shown_report(_report())
        texts = [text for row in shown[:2] for key in ("what", "reasons", "changes", "warnings") for text in row[key]]
        english_texts = [
            text for row in english[:2] for key in ("what", "reasons", "changes", "warnings") for text in row[key]
        ]
        assert all(a != b for a, b in zip(texts, english_texts, strict=True)), (language, texts)
        assert shown[1]["action_label"] != "update"
        assert "ICRC-102" in shown[1]["reasons"][0] and "Ri Jong-chol" in shown[1]["warnings"][1]
    with translation.override("ko"):
        assert "2001" in shown_report(_report())[1]["warnings"][0]


def test_the_imported_progress_names_its_actions_in_the_readers_language():
    from core.phrases import phrase

    message = phrase("import-done", counts=counts({"create": 3, "link": 1}))
    with translation.override("en"):
        assert render(message) == "Imported: create: 3, link: 1"
    with translation.override("uk"):
        written = render(message)
    assert "create" not in written and "link" not in written and "3" in written


def test_a_service_refusal_reaches_the_api_client_in_its_language(dana, tmp_path, settings):
    """An undo the import service refuses: the client reads why in its own language."""
    settings.MEDIA_ROOT = tmp_path
    api = APIClient()
    api.force_authenticate(dana)
    upload = SimpleUploadedFile("detainees.csv", csv_bytes(encoding="utf-16"))
    checked = api.post("/api/v1/imports/", {"file": upload, "mapping": json.dumps(MAPPING)}, format="multipart")
    assert checked.status_code == 201, checked.content
    pk = checked.json()["id"]
    english = api.post(f"/api/v1/imports/{pk}/undo/", HTTP_ACCEPT_LANGUAGE="en")
    ukrainian = api.post(f"/api/v1/imports/{pk}/undo/", HTTP_ACCEPT_LANGUAGE="uk")
    assert english.status_code == ukrainian.status_code == 400
    assert english.json()["detail"] == f"Batch #{pk} was never imported."
    assert ukrainian.json()["detail"] == f"Пакет №{pk} так і не було імпортовано."  # noqa: RUF001
