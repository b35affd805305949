"""Requests no browser or API client would send (issue 10, finding 12): JSON
nested a hundred thousand deep, a NUL byte in a path or in a query string.
Each is refused with a 400 or 404 that says why, never a 500, in the API, the
dashboard and the admin alike: the middleware (core.middleware.RejectNulMiddleware)
and the API's JSON parser (core.api.parsers) refuse the whole class."""

from __future__ import annotations

import io
import json

import pytest

from core.api.parsers import VigilJSONParser, json_depth
from tests.attack_surface import api_routes

pytestmark = pytest.mark.usefixtures("api_test_settings")


def test_json_nested_a_hundred_thousand_deep_is_a_400_that_says_so(editor_api, restricted_case):
    for body in ("[" * 100_000, "[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        response = editor_api.generic("POST", "/api/v1/notes/", body, content_type="application/json")
        assert response.status_code == 400, response.content[:200]
        assert "nested too deeply" in response.json()["detail"]


def test_deep_json_at_the_token_door_is_a_400_too(anonymous_api, editor):
    response = anonymous_api.generic("POST", "/api/v1/auth/token/", "[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_ordinary_nesting_still_parses(editor_api):
    nested = {"case": [[{"id": [1]}]], "body": "Fine."}
    response = editor_api.post("/api/v1/notes/", nested, format="json")
    assert response.status_code == 400
    assert "case" in response.json(), "parsed, then refused field by field"
    assert json_depth("[" * 32 + "]" * 32) == 32
    assert VigilJSONParser().parse(io.BytesIO(json.dumps({"a": "[[[[" * 100, "b": [[1]]}).encode())) == {
        "a": "[[[[" * 100,
        "b": [[1]],
    }, "brackets inside strings do not count"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/cases/VIG%00/", "/api/v1/cases/%00/", "/api/v1/people/1%00/", "/api/v1/cases/VIG%00/timeline/"],
)
def test_a_nul_byte_in_an_api_path_is_a_json_400(path, editor_api):
    response = editor_api.get(path)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "NUL" in response.json()["detail"]


def test_a_nul_byte_in_every_api_route_is_a_400_never_a_500(editor_api, restricted_case):
    for route in api_routes():
        if route.is_list:
            continue
        path = route.template.format(pk="VIG%00", case="%00", id="1%00")
        for method in ("get", "patch", "delete"):
            response = getattr(editor_api, method)(path)
            assert response.status_code in (400, 404), (method, path, response.status_code)


@pytest.mark.parametrize(
    "path", ["/cases/%00/", "/cases/VIG%00/notes/new/", "/people/%00/", "/admin/casework/case/%00/change/"]
)
def test_a_nul_byte_in_a_dashboard_or_admin_path_is_a_400_page(path, client, sam):
    client.force_login(sam)
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/casework/case/?title=%00",
        "/admin/people/person/?display_name__icontains=a%00b",
        "/admin/casework/case/?q=%00",
        "/admin/events/event/?title%00=x",
        "/api/v1/cases/?search=a%00b",
        "/api/v1/events/?cursor=%00",
    ],
)
def test_a_nul_byte_in_a_query_string_is_a_400(url, client, sam):
    client.force_login(sam)
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
