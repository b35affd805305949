"""docs/api.md works: each curl example is mirrored here step by step, and
every API address the page shows leads to a real endpoint."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import resolve
from rest_framework.test import APIClient

from core.api.exceptions import api_not_found
from tests import factories
from tests.api_fixtures import if_match

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]

DOC = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()


def test_every_api_address_in_the_docs_is_an_endpoint():
    paths = set(re.findall(r"\$VIGIL(/api/v1/[^\"?\s]*)", DOC))
    assert len(paths) >= 8
    for path in paths:
        assert resolve(path).func is not api_not_found, path


@pytest.fixture
def token(editor) -> str:
    """1. Get a token."""
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "alice", "password": "a long enough password"}, format="json"
    )
    assert response.status_code == 200
    return response.json()["token"]


@pytest.fixture
def researcher(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def kursk(restricted_case):
    case = restricted_case
    ri = factories.CaseSubjectFactory(case=case, person__display_name="Ri Jong Chol").person
    korea = factories.GovernmentFactory(name="Republic of Korea", country="KR")
    factories.InvolvementFactory(case=case, government=korea, role="receiving_state")
    transfer = factories.StatedRequestFactory(
        case=case, person=ri, category="transfer", summary="Transfer to South Korea", destination_country="KR"
    )
    return {"case": case, "ri": ri, "korea": korea, "transfer": transfer}


def test_the_walkthrough(researcher, kursk):
    case, transfer = kursk["case"], kursk["transfer"]

    # 5. Record a change in a request's status.
    for status in ("under_verification", "stalled"):
        response = researcher.post(
            f"/api/v1/requests/{transfer.pk}/updates/",
            {"status": status, "occurred_on": "2025-02-01", "occurred_on_precision": "month", "note": "Seoul"},
            format="json",
        )
        assert response.status_code == 201

    # 2. List stalled transfer requests to South Korea.
    response = researcher.get("/api/v1/requests/?status=stalled&category=transfer&destination=KR")
    assert [row["id"] for row in response.json()["results"]] == [transfer.pk]
    assert response.json()["results"][0]["updates"][-1]["occurred_on_display"] == "February 2025"
    assert len(researcher.get("/api/v1/cases/?government=KR&government_role=receiving_state").json()["results"]) == 1
    assert len(researcher.get(f"/api/v1/people/?case={case.pk}&nationality=KP").json()["results"]) == 1
    assert researcher.get("/api/v1/people/", {"search": "Lee Jung-chul"}).json()["results"][0]["id"] == kursk["ri"].pk

    # 4. Record a new event with its source.
    source = researcher.post(
        "/api/v1/sources/",
        {
            "kind": "news_report",
            "title": "Seoul ready to accept North Korean POWs",
            "publisher": "Yonhap",
            "source_url": "https://example.org/yonhap-2025-02-19",
            "language": "en",
            "published_on": "2025-02-19",
            "reliability": "B",
        },
        format="json",
    )
    assert source.status_code == 201
    event = researcher.post(
        "/api/v1/events/",
        {
            "case": case.pk,
            "kind": "government_statement",
            "title": "Seoul: will accept them once their intentions are verified",
            "occurred_on": "2025-02-19",
            "occurred_on_precision": "day",
            "people": [kursk["ri"].pk],
            "governments": [kursk["korea"].pk],
            "sources": [{"source": source.json()["id"], "locator": "para. 2", "confidence": "confirmed"}],
        },
        format="json",
    )
    assert event.status_code == 201
    assert event.json()["citations"][0]["source"] == source.json()["id"]

    # 3. Fetch a case's timeline, by reference.
    assert researcher.get(f"/api/v1/cases/{case.reference}/").json()["id"] == case.pk
    timeline = researcher.get(f"/api/v1/cases/{case.reference}/timeline/").json()["results"]
    assert [entry["kind"] for entry in timeline] == ["request_update", "request_update", "event"]
    assert timeline[-1]["sources"][0]["source_title"] == "Seoul ready to accept North Korean POWs"
    assert timeline[0]["date"] == "February 2025"


def test_patching_a_status_is_refused_as_the_docs_say(researcher, kursk):
    path = f"/api/v1/requests/{kursk['transfer'].pk}/"
    response = researcher.patch(path, {"status": "granted"}, format="json", **if_match(researcher, path))
    assert response.status_code == 400
