"""No lost updates over HTTP: every object carries a strong ETag, and a change
or delete is done only with If-Match naming its current version.

Alice (editor) and Olivia (editor on other cases) both work on an open case.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from casework.models import Case
from people.models import Person
from tests import factories
from tests.api_fixtures import client_for, grant_editor, if_match
from tests.api_resources import RESOURCES, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]

CHANGEABLE = [r for r in RESOURCES if not r.append_only]


def case_path(case) -> str:
    return f"/api/v1/cases/{case.pk}/"


@pytest.mark.parametrize("resource", RESOURCES, ids=[r.path for r in RESOURCES])
def test_every_object_answer_carries_a_strong_etag(resource, editor_api, restricted_case):
    obj = resource.make(restricted_case)
    read = editor_api.get(url(resource, obj))
    assert read["ETag"] == f'"{obj._meta.label_lower}-{obj.pk}-v{obj.version}"'
    created = editor_api.post(url(resource), resource.payload(restricted_case), format="json")
    assert created.status_code == 201
    assert created["ETag"] == editor_api.get(created.json()["url"])["ETag"]
    assert not created["ETag"].startswith("W/")


def test_the_etag_changes_with_each_change_and_the_answer_carries_the_new_one(editor_api, open_case):
    before = editor_api.get(case_path(open_case))["ETag"]
    response = editor_api.patch(case_path(open_case), {"priority": "urgent"}, format="json", HTTP_IF_MATCH=before)
    assert response.status_code == 200
    assert response["ETag"] != before
    assert response["ETag"] == editor_api.get(case_path(open_case))["ETag"] == f'"casework.case-{open_case.pk}-v2"'
    assert response.json()["version"] == 2


@pytest.mark.parametrize("resource", CHANGEABLE, ids=[r.path for r in CHANGEABLE])
def test_a_change_or_delete_without_if_match_is_a_428_and_changes_nothing(resource, editor_api, restricted_case):
    obj = (resource.make_deletable or resource.make)(restricted_case)
    for response in (
        editor_api.patch(url(resource, obj), resource.change, format="json"),
        editor_api.put(url(resource, obj), editor_api.get(url(resource, obj)).json(), format="json"),
        editor_api.delete(url(resource, obj)),
        editor_api.delete(url(resource, obj), HTTP_IF_MATCH="*"),
    ):
        assert response.status_code == 428, response.content
        assert "If-Match" in response.json()["detail"]
    assert editor_api.get(url(resource, obj))["ETag"] == f'"{obj._meta.label_lower}-{obj.pk}-v{obj.version}"'


def test_a_change_with_a_stale_if_match_is_a_412_with_what_changed_and_changes_nothing(
    editor_api, outsider_api, open_case
):
    read = editor_api.get(case_path(open_case))
    # Olivia changes the title in between.
    renamed = outsider_api.patch(case_path(open_case), {"title": "Renamed"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert renamed.status_code == 200
    response = editor_api.patch(case_path(open_case), {"priority": "urgent"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 412
    assert "olivia: title" in response.json()["detail"]
    assert editor_api.delete(case_path(open_case), HTTP_IF_MATCH=read["ETag"]).status_code == 412
    open_case.refresh_from_db()
    assert (open_case.priority, open_case.title, open_case.in_bin) == ("normal", "Renamed", False)


def test_a_tag_of_another_object_or_a_weak_or_malformed_one_is_a_412(editor_api, open_case):
    other = factories.CaseFactory()
    current = editor_api.get(case_path(open_case))["ETag"]
    for tag in (editor_api.get(case_path(other))["ETag"], f"W/{current}", "latest", '"casework.case-1-vx"'):
        response = editor_api.patch(case_path(open_case), {"priority": "urgent"}, format="json", HTTP_IF_MATCH=tag)
        assert response.status_code == 412, tag
    open_case.refresh_from_db()
    assert open_case.priority == "normal"


def test_a_change_with_the_current_if_match_goes_through_also_among_other_tags(editor_api, open_case):
    current = editor_api.get(case_path(open_case))["ETag"]
    response = editor_api.patch(
        case_path(open_case), {"priority": "urgent"}, format="json", HTTP_IF_MATCH=f'"x-1-v1", {current}'
    )
    assert response.status_code == 200
    open_case.refresh_from_db()
    assert open_case.priority == "urgent"


def test_the_version_in_a_body_is_read_only_and_ignored(editor_api, open_case):
    path = case_path(open_case)
    response = editor_api.patch(
        path, {"priority": "urgent", "version": 40}, format="json", **if_match(editor_api, path)
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_a_412_does_not_show_sensitive_changes_to_who_may_not_see_them(editor_api, outsider_api, open_case):
    person = factories.CaseSubjectFactory(case=open_case).person
    path = f"/api/v1/people/{person.pk}/"
    read = outsider_api.get(path)
    Person.objects.filter(pk=person.pk).update(health_notes="diabetic, needs insulin")
    response = outsider_api.patch(path, {"occupation": "soldier"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 412
    assert "insulin" not in response.json()["detail"]
    assert "health_notes" not in response.json()["detail"]


def test_outsiders_and_viewers_learn_nothing_from_the_precondition(outsider_api, viewer_api, restricted_case):
    # Without If-Match: still the 404 (not visible) and the 403 (no permission), never a 428.
    assert outsider_api.patch(case_path(restricted_case), {"title": "x"}, format="json").status_code == 404
    assert viewer_api.delete(case_path(restricted_case)).status_code == 403


def test_only_added_records_and_creations_need_no_if_match(editor_api, restricted_case):
    request = factories.StatedRequestFactory(case=restricted_case, person=factories.PersonFactory())
    update = editor_api.post(f"/api/v1/requests/{request.pk}/updates/", {"status": "stalled"}, format="json")
    assert update.status_code == 201
    assert "ETag" not in update  # the answer is an update, not the request it was posted to


def _patch_many_times(client, path, etag, title, barrier, statuses):
    try:
        barrier.wait(timeout=10)
        statuses.append(client.patch(path, {"title": title}, format="json", HTTP_IF_MATCH=etag).status_code)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_changes_with_the_same_if_match_exactly_one_wins_every_time(alice, olivia, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rounds = 20
    case = factories.CaseFactory(title="Start")
    clients = []
    for user in (alice, olivia):
        grant_editor(user, sensitive=False)
        clients.append(client_for(user))
    path = case_path(case)
    for round_number in range(rounds):
        etag = clients[0].get(path)["ETag"]
        barrier, statuses = threading.Barrier(2), []
        threads = [
            threading.Thread(
                target=_patch_many_times, args=(client, path, etag, f"{n} {round_number}", barrier, statuses)
            )
            for n, client in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [200, 412], statuses
    assert Case.objects.get(pk=case.pk).version == 1 + rounds
    connections.close_all()


def test_the_schema_documents_etag_if_match_412_and_428(editor_api):
    paths = editor_api.get("/api/v1/schema/?format=json").json()["paths"]
    case = paths["/api/v1/cases/{id}/"]
    assert case["get"]["responses"]["200"]["headers"]["ETag"]
    for method in ("put", "patch", "delete"):
        (if_match_header,) = [p for p in case[method]["parameters"] if p["name"] == "If-Match"]
        assert if_match_header["in"] == "header" and if_match_header["required"]
        assert {"412", "428"} <= set(case[method]["responses"])
    assert "If-Match" not in str(paths["/api/v1/cases/"]["post"].get("parameters", []))
    assert "428" not in paths["/api/v1/positions/"]["post"]["responses"]
