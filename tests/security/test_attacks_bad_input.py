"""Bad input (issue 5, item 8) in the API and the dashboard (the admin's are in
tests/security/test_bad_input.py): stored script is shown escaped and sent as plain
JSON strings, SQL-like strings in every filter and search are answered 200 or
400 (never 500), and names in every script come back exactly as written."""

from __future__ import annotations

import pytest

from casework.models import CaseNote, FollowUp
from core.models import BackgroundWork
from core.services import translation_record
from people.models import Person
from tests import factories
from tests.api_fixtures import client_for
from tests.attack_surface import api_routes, dashboard_routes, placeholders
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)
from tests.evidence_support import png, receive
from tests.security.test_bad_input import SCRIPTS, SQLISH, XSS

pytestmark = pytest.mark.usefixtures("api_test_settings")

HOSTILE_STRINGS = [SQLISH, "' OR '1'='1", "%_\\", "Ri\x00Jong", "1; SELECT pg_sleep(0)", "\U0001d54f" * 300]


@pytest.fixture
def hostile(open_case):
    """Script in every text field a page or the API shows, all in the open case."""
    open_case.title, open_case.summary = f"Case {XSS}", XSS
    open_case.save()
    person = factories.PersonFactory(display_name=XSS, description=XSS, name_original=XSS)
    factories.PersonNameFactory(person=person, name=f"{XSS} alias", note=XSS)
    factories.DetentionFactory(person=person, facility=XSS, conditions=XSS)
    factories.CaseSubjectFactory(case=open_case, person=person)
    request = factories.StatedRequestFactory(case=open_case, person=person, summary=XSS, words=XSS)
    involvement = factories.InvolvementFactory(case=open_case, notes=XSS)
    factories.PositionStatementFactory(involvement=involvement, request=request, stance="conditional", condition=XSS)
    factories.InterventionFactory(case=open_case, asked=XSS)
    factories.CaseNoteFactory(case=open_case, body=XSS)
    factories.FollowUpFactory(case=open_case, title=XSS, notes=XSS)
    event = factories.EventFactory(case=open_case, title=XSS, description=XSS, place=XSS)
    factories.CitationFactory(event=event, source=factories.SourceFactory(title=XSS, notes=XSS), locator=XSS)
    return {"case": open_case, "person": person, "request": request}


def assert_escaped(page: str, url: str) -> None:
    assert "<script>alert" not in page, url
    assert "onerror=alert(1)>" not in page, url


def is_data_managers_page(url: str) -> bool:
    return url.startswith(("/imports/", "/exports/", "/people/duplicates/")) or url.endswith("/duplicates/")


def test_stored_script_is_shown_escaped_on_every_dashboard_page(hostile, client, editor, static_storage):
    client.force_login(editor)
    case, person, request = hostile["case"], hostile["person"], hostile["request"]
    evidence = receive(editor, case, png(), name=f"{XSS}.png", description=XSS).file
    work = BackgroundWork.objects.create(kind="import", title=XSS, message=XSS, owner=editor)
    fills = {
        "reference": case.reference,
        "pk": person.pk,
        "request_id": request.pk,
        "follow_up_id": 0,
        "alert_id": 0,
        "token": "x",
        "file_id": evidence.pk,
        "work_id": work.pk,
        # The request's translations page: its hostile words and a hostile translation of them.
        "kind": "request",
        "record_id": request.pk,
        "translation_id": translation_record(
            user=editor, record=request, field="words", language="uk", text=XSS, translated_by=XSS
        ).pk,
    }
    urls = [template.format(**fills) for template, _pattern in dashboard_routes()]
    # Actions answer POST only; the unsubscribe link needs a signed token, the outbox a superuser (tests/watch/).
    post_only = ("/done/", "/upload/", "/derive/", "/redact/", "/checked/")
    # Starting background work: data managers only (tests/watch/test_background_work.py).
    not_pages = ("/watch/follow", "/watch/alerts/", "/watch/unsubscribe/", "/watch/outbox/", "/watch/work/start/")
    urls = [url for url in urls if not url.endswith(post_only) and not url.startswith(not_pages)]
    urls += ["/people/?q=alias", "/cases/?q=Case"]
    shown = 0
    for url in urls:
        response = client.get(url)
        if url.startswith("/cases/export.csv") or "/custody/" in url or is_data_managers_page(url):
            assert response.status_code == 403, (
                "an editor has no export, custody report, import or duplicate review; those pages are tested as a "
                "data manager in test_export.py, test_evidence_interfaces.py, test_export_profiles.py, "
                "test_import_pages.py and test_duplicates.py"
            )
            continue
        if url.endswith(("/download/", ".pem", "/status/")):  # a file's bytes, the public key, JSON: not pages
            assert response.status_code == 200, url
            continue
        assert response.status_code == 200, url
        page = response.content.decode()
        assert_escaped(page, url)
        shown += "&lt;script&gt;alert" in page
    assert shown >= 6  # the hostile text is there, escaped, on the pages that show it


def test_stored_script_is_neither_on_the_api_docs_page_nor_in_the_schema_unescaped(hostile, client, editor):
    client.force_login(editor)
    for url in ("/api/v1/docs/", "/api/v1/schema/"):
        response = client.get(url)
        assert response.status_code == 200
        assert_escaped(response.content.decode(), url)


def test_stored_script_comes_back_from_the_api_as_the_plain_string_it_was(hostile, editor_api):
    for url in (
        f"/api/v1/cases/{hostile['case'].pk}/",
        f"/api/v1/people/{hostile['person'].pk}/",
        f"/api/v1/requests/{hostile['request'].pk}/",
    ):
        response = editor_api.get(url)
        assert response.headers["Content-Type"] == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        data = response.json()
        assert XSS in (data.get("summary"), data.get("display_name"))
    timeline = editor_api.get(f"/api/v1/cases/{hostile['case'].pk}/timeline/").json()["results"]
    assert XSS in [entry["title"] for entry in timeline]


def filter_names(route) -> list[str]:
    filterset = getattr(route.view, "filterset_class", None)
    names = list(filterset.base_filters) if filterset else []
    return [*names, "ordering", "page", "page_size", "cursor"]


def test_sql_like_strings_in_every_api_filter_and_search_are_answered_200_or_400(hostile, editor_api):
    answers = {}
    for route in (route for route in api_routes() if route.is_list and "GET" in route.methods):
        for name in filter_names(route):
            for value in HOSTILE_STRINGS:
                answers[f"{route.template}?{name}={value!r}"] = editor_api.get(
                    route.template, {name: value}
                ).status_code
    assert len(answers) > 500
    # 404 only for a page or cursor that is none (DRF's "Invalid page", "Invalid cursor").
    wrong = {query: status for query, status in answers.items() if status not in (200, 400, 404)}
    wrong |= {
        query: status
        for query, status in answers.items()
        if status == 404 and not ("?page=" in query or "?cursor=" in query)
    }
    assert not wrong
    assert 200 in answers.values() and 400 in answers.values()


def test_sql_like_strings_in_every_dashboard_filter_and_search_are_answered_200(hostile, client, editor):
    """200 for each, but a NUL byte: a 400 before any view (tests/security/test_hostile_requests.py)."""
    from casework.filtersets import CaseFilterSet

    client.force_login(editor)
    searches = [("/cases/", name) for name in (*CaseFilterSet.base_filters, "sort", "page")]
    searches += [("/people/", "q"), ("/people/", "page"), ("/", "q")]
    assert {"/cases/", "/people/"} <= {template for template, _p in dashboard_routes() if not placeholders(template)}
    for url, name in searches:
        for value in HOSTILE_STRINGS:
            expected = 400 if "\x00" in value else 200
            assert client.get(url, {name: value}).status_code == expected, (url, name, value)
    assert hostile["case"].__class__.objects.filter(pk=hostile["case"].pk).exists()


@pytest.mark.parametrize("name", SCRIPTS)
def test_a_name_in_any_script_round_trips_exactly_through_the_api(name, editor_api):
    created = editor_api.post(
        "/api/v1/people/", {"display_name": name, "name_original": name, "status": "unknown"}, format="json"
    )
    assert created.status_code == 201, created.content
    alias = editor_api.post(
        "/api/v1/person-names/", {"person": created.json()["id"], "name": name, "kind": "original"}, format="json"
    )
    assert alias.status_code == 201, alias.content
    read = editor_api.get(f"/api/v1/people/{created.json()['id']}/").json()
    assert (read["display_name"], read["name_original"]) == (name, name)
    assert [row["name"] for row in read["names"]] == [name]
    assert Person.objects.get(pk=read["id"]).display_name == name
    found = editor_api.get("/api/v1/people/", {"search": name}).json()["results"]
    assert [row["id"] for row in found] == [read["id"]]


@pytest.mark.parametrize("name", SCRIPTS)
def test_a_name_in_any_script_round_trips_exactly_through_the_dashboards_quick_actions(name, client, editor, open_case):
    client.force_login(editor)
    note = client.post(f"/cases/{open_case.reference}/notes/new/", {"body": f"Spoke with {name}"})
    assert note.status_code == 302
    follow_up = client.post(
        f"/cases/{open_case.reference}/follow-ups/new/", {"title": name, "due_on": "2025-05-01", "notes": name}
    )
    assert follow_up.status_code == 302, follow_up.content.decode()[:2000]
    assert CaseNote.objects.get(case=open_case).body == f"Spoke with {name}"
    assert FollowUp.objects.get(case=open_case).title == name
    page = client.get(f"/cases/{open_case.reference}/").content.decode()
    assert f"Spoke with {name}" in page


def test_a_hostile_api_token_is_a_401_never_a_500(editor):
    """A hostile Authorization header is a 401, never a 500."""
    for header in (f"Token {SQLISH}", "Token %00", "Token " + "a" * 5000, "Bearer x", "Token", "Token a b"):
        client = client_for(editor)
        client.credentials(HTTP_AUTHORIZATION=header)
        assert client.get("/api/v1/cases/").status_code == 401, header
