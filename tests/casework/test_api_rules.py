"""The domain's rules hold through the API: a request's status changes only by
an update (through the same service as the admin), positions are only added,
an event is recorded with its sources in one transaction, reported dates are
normalised, and every write is in the history with channel "api" and the
token's user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from casework.models import RequestStatus, RequestUpdate, StatedRequest
from core.history import history_of
from events.models import Citation, Event
from tests import factories
from tests.api_fixtures import if_match

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]


@pytest.fixture
def transfer_request(restricted_case):
    person = factories.CaseSubjectFactory(case=restricted_case).person
    return factories.StatedRequestFactory(
        case=restricted_case, person=person, category="transfer", summary="Transfer to South Korea"
    )


def test_it_refuses_a_patch_that_sets_a_requests_status(editor_api, transfer_request):
    path = f"/api/v1/requests/{transfer_request.pk}/"
    response = editor_api.patch(path, {"status": "granted"}, format="json", **if_match(editor_api, path))
    assert response.status_code == 400
    assert "requests/{id}/updates/" in response.json()["status"][0]
    transfer_request.refresh_from_db()
    assert transfer_request.status == RequestStatus.STATED
    assert not RequestUpdate.objects.exists()


def test_it_refuses_a_new_request_with_a_status_other_than_stated(editor_api, restricted_case):
    person = factories.CaseSubjectFactory(case=restricted_case).person
    body = {"case": restricted_case.pk, "person": person.pk, "category": "food", "summary": "Food", "status": "granted"}
    response = editor_api.post("/api/v1/requests/", body, format="json")
    assert response.status_code == 400
    assert "status" in response.json()


def test_a_patch_repeating_the_current_status_is_accepted(editor_api, transfer_request):
    path = f"/api/v1/requests/{transfer_request.pk}/"
    response = editor_api.patch(
        path, {"status": "stated", "words": "Korea"}, format="json", **if_match(editor_api, path)
    )
    assert response.status_code == 200
    assert response.json()["words"] == "Korea"


def test_posting_an_update_changes_the_status_through_the_service(editor_api, editor, transfer_request):
    response = editor_api.post(
        f"/api/v1/requests/{transfer_request.pk}/updates/",
        {
            "status": "under_verification",
            "occurred_on": "2025-02-17",
            "occurred_on_precision": "month",
            "note": "Seoul",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["previous_status"] == "stated"
    assert body["status"] == "under_verification"
    assert body["occurred_on"] == "2025-02-01"  # "month" is stored as its first day
    assert body["occurred_on_display"] == "February 2025"
    assert body["recorded_by"] == editor.pk
    transfer_request.refresh_from_db()
    assert transfer_request.status == "under_verification"
    assert transfer_request.status_changed_at is not None
    detail = editor_api.get(f"/api/v1/requests/{transfer_request.pk}/").json()
    assert detail["status"] == "under_verification"
    assert [update["status"] for update in detail["updates"]] == ["under_verification"]


def test_posting_to_request_updates_uses_the_same_service(editor_api, transfer_request):
    body = {"request": transfer_request.pk, "status": "stalled", "occurred_on": None}
    response = editor_api.post("/api/v1/request-updates/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["previous_status"] == "stated"
    assert StatedRequest.objects.get(pk=transfer_request.pk).status == "stalled"


def test_the_same_status_again_is_a_reaffirmation(editor_api, transfer_request):
    response = editor_api.post(
        f"/api/v1/requests/{transfer_request.pk}/updates/", {"status": "stated", "note": "now both ask"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["previous_status"] == response.json()["status"] == "stated"


def test_an_update_with_an_unknown_status_is_a_400_naming_the_field(editor_api, transfer_request):
    response = editor_api.post(f"/api/v1/requests/{transfer_request.pk}/updates/", {"status": "done"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()


def test_a_viewer_cannot_post_an_update(viewer_api, transfer_request):
    response = viewer_api.post(f"/api/v1/requests/{transfer_request.pk}/updates/", {"status": "stalled"}, format="json")
    assert response.status_code == 403


def test_an_outsider_cannot_post_an_update_to_a_restricted_request(outsider_api, transfer_request):
    response = outsider_api.post(
        f"/api/v1/requests/{transfer_request.pk}/updates/", {"status": "stalled"}, format="json"
    )
    assert response.status_code == 404
    assert StatedRequest.objects.get(pk=transfer_request.pk).status == "stated"


def test_request_updates_cannot_be_changed_or_deleted(editor_api, transfer_request):
    created = editor_api.post(f"/api/v1/requests/{transfer_request.pk}/updates/", {"status": "stalled"}, format="json")
    update_url = created.json()["url"]
    assert editor_api.patch(update_url, {"status": "granted"}, format="json").status_code == 405
    assert editor_api.delete(update_url).status_code == 405


def test_positions_are_only_added(editor_api, restricted_case):
    involvement = factories.InvolvementFactory(case=restricted_case)
    created = editor_api.post(
        "/api/v1/positions/",
        {"involvement": involvement.pk, "stance": "conditional", "condition": "if verified", "stated_on": "2025-03-12"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert editor_api.patch(created.json()["url"], {"stance": "opposes"}, format="json").status_code == 405
    assert editor_api.delete(created.json()["url"]).status_code == 405
    later = editor_api.post(
        "/api/v1/positions/",
        {
            "involvement": involvement.pk,
            "stance": "supports",
            "stated_on": "2025-06-01",
            "stated_on_precision": "month",
        },
        format="json",
    )
    assert later.status_code == 201
    current = editor_api.get(f"/api/v1/involvements/{involvement.pk}/").json()
    assert current["current_stance"] == "supports"
    assert current["current_stated_on"] == "2025-06-01"


def test_a_position_cannot_depend_on_another_cases_request(editor_api, restricted_case, open_case):
    involvement = factories.InvolvementFactory(case=restricted_case)
    elsewhere = factories.StatedRequestFactory(case=open_case)
    response = editor_api.post(
        "/api/v1/positions/",
        {"involvement": involvement.pk, "stance": "conditional", "condition_request": elsewhere.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "condition_request" in response.json()


def test_an_event_is_recorded_with_its_people_governments_and_sources(editor_api, restricted_case):
    person = factories.CaseSubjectFactory(case=restricted_case).person
    ukraine = factories.GovernmentFactory(name="Ukraine")
    report = factories.SourceFactory(title="Seoul ready to accept")
    response = editor_api.post(
        "/api/v1/events/",
        {
            "case": restricted_case.pk,
            "kind": "capture",
            "title": "Captured in Kursk region",
            "occurred_on": "2025-01-09",
            "people": [person.pk],
            "governments": [ukraine.pk],
            "sources": [{"source": report.pk, "locator": "para. 2", "confidence": "confirmed"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["people"] == [person.pk]
    assert body["governments"] == [ukraine.pk]
    citation = body["citations"][0]
    assert {name: citation[name] for name in ("source", "source_name", "locator", "confidence")} == {
        "source": report.pk,
        "source_name": report.title,
        "locator": "para. 2",
        "confidence": "confirmed",
    }
    assert citation["source_url"].endswith(f"/api/v1/sources/{report.pk}/")
    assert "sources" not in body


def test_an_event_with_a_bad_source_is_not_recorded_at_all(editor_api, restricted_case):
    response = editor_api.post(
        "/api/v1/events/",
        {
            "case": restricted_case.pk,
            "kind": "capture",
            "title": "Captured",
            "occurred_on": "2025-01-09",
            "sources": [{"source": 999999}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "sources" in response.json()
    assert not Event.objects.exists()
    assert not Citation.objects.exists()


def test_an_outsider_cannot_create_an_event_on_a_restricted_case(outsider_api, restricted_case):
    response = outsider_api.post(
        "/api/v1/events/",
        {"case": restricted_case.pk, "kind": "capture", "title": "x", "occurred_on": "2025-01-09"},
        format="json",
    )
    assert response.status_code == 400
    assert "case" in response.json()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("given", "precision", "stored", "shown"),
    [
        ("2025-02-17", "day", "2025-02-17", "17 February 2025"),
        ("2025-02-17", "month", "2025-02-01", "February 2025"),
        ("2024-11-17", "quarter", "2024-10-01", "Q4 2024"),
        ("2024-11-17", "year", "2024-01-01", "2024"),
        ("2024-11-17", "unknown", None, "date unknown"),
    ],
)
def test_a_reported_date_is_normalised_to_its_precision(editor_api, restricted_case, given, precision, stored, shown):
    response = editor_api.post(
        "/api/v1/events/",
        {
            "case": restricted_case.pk,
            "kind": "medical",
            "title": "Jaw injury treated",
            "occurred_on": given,
            "occurred_on_precision": precision,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["occurred_on"] == stored
    assert response.json()["occurred_on_display"] == shown


def test_changing_only_the_precision_renormalises_the_stored_date(editor_api, restricted_case):
    event = factories.EventFactory(case=restricted_case, occurred_on="2025-02-17", occurred_on_precision="day")
    path = f"/api/v1/events/{event.pk}/"
    response = editor_api.patch(path, {"occurred_on_precision": "month"}, format="json", **if_match(editor_api, path))
    assert response.status_code == 200
    assert response.json()["occurred_on"] == "2025-02-01"


def test_a_detention_cannot_end_before_it_starts(editor_api, restricted_case):
    person = factories.CaseSubjectFactory(case=restricted_case).person
    response = editor_api.post(
        "/api/v1/detentions/",
        {"person": person.pk, "started_on": "2025-03-01", "ended_on": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_a_duplicate_is_a_400_not_a_500(editor_api, restricted_case):
    person = factories.CaseSubjectFactory(case=restricted_case).person
    response = editor_api.post(
        "/api/v1/case-subjects/", {"case": restricted_case.pk, "person": person.pk}, format="json"
    )
    assert response.status_code == 400
    assert "already in this case" in str(response.json())


def test_a_citation_must_cite_exactly_one_fact(editor_api, restricted_case):
    response = editor_api.post("/api/v1/citations/", {"source": factories.SourceFactory().pk}, format="json")
    assert response.status_code == 400
    assert "exactly one" in str(response.json())


def test_deleting_a_person_moves_them_to_the_bin(editor_api, editor, restricted_case):
    person = factories.CaseSubjectFactory(case=restricted_case).person
    path = f"/api/v1/people/{person.pk}/"
    assert editor_api.delete(path, **if_match(editor_api, path)).status_code == 204
    person.refresh_from_db()  # still there, whole, in the bin
    assert person.in_bin
    assert person.deleted_by == editor
    assert editor_api.get(f"/api/v1/people/{person.pk}/").status_code == 404
    assert editor_api.get("/api/v1/case-subjects/", {"case": restricted_case.pk}).json()["count"] == 0
    (binned,) = [row for row in history_of(person) if row.pgh_label == "update"]
    assert binned.pgh_context["channel"] == "api"


def test_deleting_a_government_still_involved_is_a_409(editor_api, restricted_case):
    involvement = factories.InvolvementFactory(case=restricted_case)
    path = f"/api/v1/governments/{involvement.government_id}/"
    response = editor_api.delete(path, **if_match(editor_api, path))
    assert response.status_code == 409
    assert "government involved" in response.json()["detail"]


def test_bin_fields_are_not_shown(editor_api, open_case):
    body = editor_api.get(f"/api/v1/cases/{open_case.pk}/").json()
    assert "deleted_at" not in body
    assert "deleted_by" not in body


def test_a_case_reference_is_read_only_and_issued_by_the_database(editor_api):
    response = editor_api.post(
        "/api/v1/cases/", {"title": "New", "opened_on": "2025-01-15", "reference": "VIG-1999-0001"}, format="json"
    )
    assert response.status_code == 201
    reference = response.json()["reference"]
    assert reference.startswith("VIG-") and reference != "VIG-1999-0001"
    patched = editor_api.patch(
        response.json()["url"], {"reference": "VIG-1999-0002"}, format="json", HTTP_IF_MATCH=response["ETag"]
    )
    assert patched.json()["reference"] == reference


def test_a_case_is_fetched_by_its_reference(editor_api, restricted_case, outsider_api):
    response = editor_api.get(f"/api/v1/cases/{restricted_case.reference}/")
    assert response.status_code == 200
    assert response.json()["id"] == restricted_case.pk
    assert outsider_api.get(f"/api/v1/cases/{restricted_case.reference}/").status_code == 404


def test_a_case_lead_who_may_manage_teams_writes_the_team_by_user_ids(editor_api, editor, restricted_case, bob, olivia):
    editor.user_permissions.add(Permission.objects.get(codename="manage_team"))
    path = f"/api/v1/cases/{restricted_case.pk}/"
    response = editor_api.patch(
        path, {"team": [bob.pk, olivia.pk], "confidentiality": "normal"}, format="json", **if_match(editor_api, path)
    )
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["team"]) == sorted([bob.pk, olivia.pk])
    assert response.json()["confidentiality"] == "normal"


def test_an_editor_who_may_not_manage_teams_cannot_change_team_or_confidentiality(editor_api, restricted_case, olivia):
    path = f"/api/v1/cases/{restricted_case.pk}/"
    for change in ({"team": [olivia.pk]}, {"confidentiality": "normal"}):
        response = editor_api.patch(path, change, format="json", **if_match(editor_api, path))
        assert response.status_code == 403
        assert "team or confidentiality" in response.json()["detail"]
    restricted_case.refresh_from_db()
    assert restricted_case.confidentiality == "restricted"
    # ... but may send them back unchanged (a PUT of what was read), and change the rest.
    current = editor_api.get(path)
    response = editor_api.put(
        path, {**current.json(), "priority": "urgent"}, format="json", HTTP_IF_MATCH=current["ETag"]
    )
    assert response.status_code == 200


def test_only_who_may_manage_teams_creates_a_restricted_case(editor_api, editor):
    body = {"title": "Quiet case", "opened_on": "2025-01-15", "confidentiality": "restricted"}
    assert editor_api.post("/api/v1/cases/", body, format="json").status_code == 403
    editor.user_permissions.add(Permission.objects.get(codename="manage_team"))
    assert editor_api.post("/api/v1/cases/", body, format="json").status_code == 201


def test_a_note_is_signed_by_its_poster(editor_api, editor, restricted_case):
    response = editor_api.post("/api/v1/notes/", {"case": restricted_case.pk, "body": "Called"}, format="json")
    assert response.json()["author"] == editor.pk


def test_an_api_write_is_in_the_history_with_channel_api_and_the_token_user(editor_api, editor, restricted_case):
    response = editor_api.post(
        "/api/v1/events/",
        {"case": restricted_case.pk, "kind": "capture", "title": "Captured", "occurred_on": "2025-01-09"},
        format="json",
    )
    event = Event.objects.get(pk=response.json()["id"])
    editor_api.patch(
        f"/api/v1/events/{event.pk}/", {"title": "Captured in Kursk"}, format="json", HTTP_IF_MATCH=response["ETag"]
    )
    history = list(history_of(event))
    # One test is one transaction: both rows share a timestamp, so compare as a set.
    assert sorted(row.pgh_label for row in history) == ["insert", "update"]
    for row in history:
        assert row.pgh_context["channel"] == "api"
        assert str(row.pgh_context["user"]) == str(editor.pk)
        assert row.pgh_context["username"] == "alice"


def test_a_status_change_through_the_api_is_in_the_history(editor_api, editor, transfer_request):
    editor_api.post(f"/api/v1/requests/{transfer_request.pk}/updates/", {"status": "stalled"}, format="json")
    (update,) = [row for row in history_of(transfer_request) if row.pgh_label == "update"]
    assert update.pgh_data["status"] == "stalled"
    assert update.pgh_context["channel"] == "api"
    assert str(update.pgh_context["user"]) == str(editor.pk)
