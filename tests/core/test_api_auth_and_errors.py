"""Getting in (tokens, sessions), never anonymously; errors as JSON 4xx, never a
500 for bad input; the OpenAPI schema valid and its docs served offline."""

from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from core.models import ApiToken
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]


# ----------------------------------------------------------------------- tokens


def test_a_user_gets_their_token_with_username_and_password(anonymous_api, editor):
    response = anonymous_api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "a long enough password"}, format="json"
    )
    assert response.status_code == 200
    assert len(response.json()["token"]) == 64
    # Each call makes a new token (tests/core/test_api_tokens.py: stored hashed, named, expiring).
    again = anonymous_api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "a long enough password"}, format="json"
    )
    assert again.json()["token"] != response.json()["token"]


def test_a_wrong_password_gets_no_token(anonymous_api, editor):
    response = anonymous_api.post("/api/v1/auth/token/", {"username": "alice", "password": "guess"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_repeated_wrong_passwords_lock_the_token_door_too(anonymous_api, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong = anonymous_api.post("/api/v1/auth/token/", {"username": "alice", "password": "guess"}, format="json")
        assert wrong.status_code in (400, 403)
    right = anonymous_api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "a long enough password"}, format="json"
    )
    assert right.status_code == 403
    assert "locked" in right.json()["detail"]
    assert "token" not in right.json()


def test_the_token_opens_the_api(anonymous_api, editor):
    token = anonymous_api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "a long enough password"}, format="json"
    ).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cases/").status_code == 200


def test_a_revoked_or_made_up_token_is_a_401(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0123456789abcdef" * 4)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_tokens_are_managed_in_the_admin(sam):
    client = APIClient()
    client.force_login(sam)
    assert client.get("/admin/core/apitoken/").status_code == 200


def test_a_session_also_opens_the_api(editor):
    client = APIClient()
    client.force_login(editor)
    assert client.get("/api/v1/cases/").status_code == 200


def test_an_anonymous_caller_gets_401_everywhere(anonymous_api, restricted_case):
    for path in ("/api/v1/cases/", f"/api/v1/cases/{restricted_case.pk}/", "/api/v1/schema/"):
        response = anonymous_api.get(path)
        assert response.status_code == 401, path


def test_an_inactive_users_token_is_refused(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.create(user=editor)[1]}")
    # Deactivating deletes the user's tokens (test_api_tokens.py); one that slipped through is refused too.
    type(editor).objects.filter(pk=editor.pk).update(is_active=False)
    assert client.get("/api/v1/cases/").status_code == 401


# ----------------------------------------------------------------------- errors


def test_malformed_json_is_a_400(editor_api):
    response = editor_api.generic("POST", "/api/v1/cases/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_body_that_is_not_an_object_is_a_400(editor_api):
    response = editor_api.post("/api/v1/cases/", [1, 2, 3], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_a_body_over_1_mb_is_a_413(editor_api, restricted_case):
    body = json.dumps({"case": restricted_case.pk, "body": "x" * (1024 * 1024 + 1)})
    response = editor_api.generic("POST", "/api/v1/notes/", body, content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_validation_errors_are_field_by_field(editor_api):
    response = editor_api.post("/api/v1/cases/", {"status": "sleeping", "opened_on": "yesterday"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"title", "status", "opened_on"}
    assert "not a valid choice" in body["status"][0]


def test_an_unknown_api_path_is_a_json_404(editor_api):
    response = editor_api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_write_to_an_unknown_api_path_is_a_json_404(editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.put("/api/v1/cases/1.5/", {}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_non_numeric_id_is_a_404(editor_api):
    assert editor_api.get("/api/v1/events/abc/").status_code == 404
    assert editor_api.get("/api/v1/cases/VIG-0000-0000/").status_code == 404
    assert editor_api.get("/api/v1/cases/²/").status_code == 404  # a digit to str.isdigit(), not to int()
    assert editor_api.get("/api/v1/cases/²/timeline/").status_code == 404


def test_a_page_beyond_the_last_is_a_404_and_page_size_is_capped(editor_api, open_case):
    assert editor_api.get("/api/v1/requests/", {"page": 99}).status_code == 404
    assert editor_api.get("/api/v1/cases/", {"cursor": "bm9wZQ=="}).status_code == 400  # not a cursor we made
    for _ in range(3):
        factories.CaseFactory()
    assert len(editor_api.get("/api/v1/cases/", {"page_size": 2}).json()["results"]) == 2
    assert editor_api.get("/api/v1/cases/", {"page_size": 100000}).status_code == 200


def test_a_form_encoded_body_is_a_415(editor_api):
    response = editor_api.post("/api/v1/cases/", {"title": "x"}, format="multipart")
    assert response.status_code == 415


# ----------------------------------------------------------------------- schema and docs


@pytest.fixture
def schema(editor_api) -> dict:
    response = editor_api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_describes_every_endpoint(schema):
    paths = set(schema["paths"])
    for resource in (
        "people", "person-names", "person-identifiers", "detentions", "cases", "case-subjects", "requests",
        "request-updates", "governments", "involvements", "positions", "interventions", "events", "sources",
        "citations", "notes", "follow-ups",
    ):  # fmt: skip
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{id}}/" in paths
    assert "/api/v1/cases/{case}/timeline/" in paths
    assert "/api/v1/requests/{id}/updates/" in paths
    assert "/api/v1/auth/token/" in paths


def test_the_schema_describes_filters_errors_and_enums(schema):
    listing = schema["paths"]["/api/v1/requests/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in listing["parameters"]}
    assert {"status", "category", "destination", "stated_after", "page", "page_size", "ordering"} <= set(parameters)
    assert "stalled" in parameters["status"]["schema"]["items"]["enum"]
    assert {"200", "400", "401", "403", "404"} <= set(listing["responses"])
    create = schema["paths"]["/api/v1/events/"]["post"]
    assert {"201", "400", "401", "403", "413"} <= set(create["responses"])
    assert "stalled" in schema["components"]["schemas"]["RequestStatus"]["enum"]


def test_the_docs_are_served_with_local_assets(editor):
    client = APIClient()
    client.force_login(editor)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    # Every script is a file from this app: the Content-Security-Policy lets nothing inline run.
    assert "<script>" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_the_docs_send_a_visitor_without_a_session_to_log_in(anonymous_api, settings):
    from django.shortcuts import resolve_url

    response = anonymous_api.get("/api/v1/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=/api/v1/docs/")


@pytest.mark.parametrize("key", ["\x00", "a" * 41, "abc\x00def", "a" * 65, "é" * 64, "A" * 64])
def test_a_token_no_key_can_be_is_refused_with_401_not_500(key, db):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
