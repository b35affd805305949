"""Every resource of /api/v1/: who may list, read, create, change and delete it.

Alice (editor, leads the restricted case) may do everything; Bob (viewer, on
its team) only reads; Olivia (editor on other cases) must not even learn that
the restricted case's objects exist; an anonymous caller gets nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from tests import factories
from tests.api_fixtures import client_for, if_match
from tests.api_resources import RESOURCES, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]

by_path = pytest.mark.parametrize("resource", RESOURCES, ids=[r.path for r in RESOURCES])
# Governments are public reference data; people, cases, governments and sources link into no case when created.
CASE_BOUND = [r for r in RESOURCES if not r.public]
LINKING = [r for r in RESOURCES if r.links_into_case]
case_bound = pytest.mark.parametrize("resource", CASE_BOUND, ids=[r.path for r in CASE_BOUND])
linking = pytest.mark.parametrize("resource", LINKING, ids=[r.path for r in LINKING])


@by_path
def test_anonymous_callers_get_401(resource, anonymous_api, open_case):
    obj = resource.make(open_case)
    for response in (
        anonymous_api.get(url(resource)),
        anonymous_api.get(url(resource, obj)),
        anonymous_api.post(url(resource), resource.payload(open_case), format="json"),
        anonymous_api.patch(url(resource, obj), resource.change, format="json"),
        anonymous_api.delete(url(resource, obj)),
    ):
        assert response.status_code == 401, response.content
        assert "results" not in response.json()


@by_path
def test_an_editor_lists_and_reads(resource, editor_api, restricted_case):
    obj = resource.make(restricted_case)
    listed = editor_api.get(url(resource))
    assert listed.status_code == 200
    assert obj.pk in [row["id"] for row in listed.json()["results"]]
    detail = editor_api.get(url(resource, obj))
    assert detail.status_code == 200
    assert detail.json()["id"] == obj.pk
    assert detail.json()["url"].endswith(url(resource, obj))


@by_path
def test_an_editor_creates(resource, editor_api, restricted_case):
    response = editor_api.post(url(resource), resource.payload(restricted_case), format="json")
    assert response.status_code == 201, response.json()
    created = editor_api.get(response.json()["url"])
    assert created.status_code == 200
    assert created.json() == response.json()


@by_path
def test_an_editor_updates(resource, editor_api, restricted_case):
    obj = resource.make(restricted_case)
    response = editor_api.patch(
        url(resource, obj), resource.change, format="json", **if_match(editor_api, url(resource, obj))
    )
    if resource.append_only:
        assert response.status_code == 405
        return
    assert response.status_code == 200, response.json()
    for name, value in resource.change.items():
        assert response.json()[name] == value
    read = editor_api.get(url(resource, obj))
    put = editor_api.put(url(resource, obj), read.json(), format="json", HTTP_IF_MATCH=read["ETag"])
    assert put.status_code == 200, put.json()


@by_path
def test_an_editor_deletes(resource, editor_api, restricted_case):
    if resource.path == "cases":  # a case goes to the bin only by its lead, with the case lead role
        editor_api.user.user_permissions.add(Permission.objects.get(codename="manage_team"))
    obj = (resource.make_deletable or resource.make)(restricted_case)
    response = editor_api.delete(url(resource, obj), **if_match(editor_api, url(resource, obj)))
    if resource.append_only:
        assert response.status_code == 405
        return
    assert response.status_code == 204
    assert editor_api.get(url(resource, obj)).status_code == 404


@by_path
def test_a_viewer_reads_but_cannot_write(resource, viewer_api, restricted_case):
    obj = resource.make(restricted_case)
    assert viewer_api.get(url(resource)).status_code == 200
    assert viewer_api.get(url(resource, obj)).status_code == 200
    assert viewer_api.post(url(resource), resource.payload(restricted_case), format="json").status_code == 403
    if not resource.append_only:
        assert viewer_api.patch(url(resource, obj), resource.change, format="json").status_code == 403
        assert viewer_api.delete(url(resource, obj)).status_code == 403


@by_path
def test_a_user_without_permissions_gets_403(resource, restricted_case, nora):
    response = client_for(nora).get(url(resource))  # on the case's team, but holding no permission
    assert response.status_code == 403


@case_bound
def test_an_outsider_gets_404_for_a_restricted_cases_objects(resource, outsider_api, restricted_case):
    obj = resource.make(restricted_case)
    assert outsider_api.get(url(resource, obj)).status_code == 404
    assert outsider_api.patch(url(resource, obj), resource.change, format="json").status_code in (404, 405)
    assert outsider_api.delete(url(resource, obj)).status_code in (404, 405)
    listed = outsider_api.get(url(resource), {"page_size": 500})
    assert obj.pk not in [row["id"] for row in listed.json()["results"]]


@linking
def test_an_outsider_cannot_link_to_a_restricted_cases_objects(resource, outsider_api, restricted_case):
    response = outsider_api.post(url(resource), resource.payload(restricted_case), format="json")
    assert response.status_code == 400, response.json()
    assert "does not exist" in str(response.json())


def test_nested_records_leave_out_a_restricted_case(outsider_api, editor_api, restricted_case, open_case):
    # Ri is in an open case and in the restricted one: Olivia sees Ri, and only the open case.
    ri = factories.CaseSubjectFactory(case=open_case).person
    factories.CaseSubjectFactory(case=restricted_case, person=ri)
    seen_by_outsider = outsider_api.get(f"/api/v1/people/{ri.pk}/").json()
    assert [link["case"] for link in seen_by_outsider["cases"]] == [open_case.pk]
    seen_by_editor = editor_api.get(f"/api/v1/people/{ri.pk}/").json()
    assert sorted(link["case"] for link in seen_by_editor["cases"]) == sorted([open_case.pk, restricted_case.pk])
    listed = outsider_api.get("/api/v1/people/", {"case": open_case.pk}).json()["results"]
    assert [link["case"] for link in listed[0]["cases"]] == [open_case.pk]
    # ... and the restricted case's people are no filter value for her either.
    assert outsider_api.get("/api/v1/case-subjects/", {"person": ri.pk}).json()["count"] == 1
