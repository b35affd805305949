"""Each role may do the same things in the API and the dashboard as in the admin
(tests/core/test_roles.py): one set of permissions, checked by all three.

Viola is a viewer, Eddie an editor, Lena a case lead, Dana a data manager; all
but Dana are on the case's team. A restricted case elsewhere has no one of them.
"""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from casework.models import CaseNote, RequestUpdate
from core.roles import CASE_LEAD, DATA_MANAGER, EDITOR, VIEWER
from tests import factories

ROLES = {"viola": VIEWER, "eddie": EDITOR, "lena": CASE_LEAD, "dana": DATA_MANAGER}
WRITERS = {"eddie", "lena", "dana"}


@pytest.fixture
def team(db):
    users = {}
    for name, role in ROLES.items():
        user = factories.UserFactory(username=name)
        user.groups.add(Group.objects.get(name=role))
        users[name] = type(user).objects.get(pk=user.pk)
    return users


@pytest.fixture
def case(team):
    case = factories.RestrictedCaseFactory(title="Kursk prisoners", lead=team["lena"])
    for name in ("viola", "eddie"):
        factories.CaseMemberFactory(case=case, user=team[name])
    return case


@pytest.fixture
def transfer(case):
    return factories.StatedRequestFactory(case=case, category="transfer", destination_country="KR")


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who", ROLES)
def test_every_role_reads_the_case_in_the_api_and_the_dashboard(who, team, case, client):
    assert _api(team[who]).get(f"/api/v1/cases/{case.pk}/").status_code == 200
    client.force_login(team[who])
    assert client.get(f"/cases/{case.reference}/").status_code == 200


@pytest.mark.parametrize("who", ROLES)
def test_only_writers_record_a_request_update_in_the_api(who, team, transfer):
    response = _api(team[who]).post(
        f"/api/v1/requests/{transfer.pk}/updates/",
        {"status": "stalled", "occurred_on": "2025-10-01", "occurred_on_precision": "quarter"},
        format="json",
    )
    assert response.status_code == (201 if who in WRITERS else 403), response.content
    assert RequestUpdate.objects.exists() is (who in WRITERS)


@pytest.mark.parametrize("who", ROLES)
def test_only_writers_record_a_request_update_in_the_dashboard(who, team, transfer, client):
    client.force_login(team[who])
    response = client.post(
        f"/cases/{transfer.case.reference}/requests/{transfer.pk}/update/",
        {"status": "stalled", "occurred_on": "2025-10-01", "occurred_on_precision": "quarter", "note": ""},
    )
    assert response.status_code == (302 if who in WRITERS else 403)
    assert RequestUpdate.objects.exists() is (who in WRITERS)


@pytest.mark.parametrize("who", ROLES)
def test_only_writers_add_a_note_in_the_api_and_the_dashboard(who, team, case, client):
    api = _api(team[who]).post("/api/v1/notes/", {"case": case.pk, "body": "Called the ICRC."}, format="json")
    assert api.status_code == (201 if who in WRITERS else 403), api.content
    client.force_login(team[who])
    page = client.post(f"/cases/{case.reference}/notes/new/", {"body": "Called the embassy."})
    assert page.status_code == (302 if who in WRITERS else 403)
    assert CaseNote.objects.count() == (2 if who in WRITERS else 0)


@pytest.mark.parametrize(("who", "sees"), [("viola", False), ("eddie", False), ("lena", False), ("dana", True)])
def test_only_data_managers_see_a_restricted_case_they_are_not_on(who, sees, team, client):
    elsewhere = factories.RestrictedCaseFactory(title="Elsewhere")
    assert _api(team[who]).get(f"/api/v1/cases/{elsewhere.pk}/").status_code == (200 if sees else 404)
    client.force_login(team[who])
    assert client.get(f"/cases/{elsewhere.reference}/").status_code == (200 if sees else 404)


@pytest.mark.parametrize(("who", "may"), [("viola", False), ("eddie", False), ("lena", False), ("dana", True)])
def test_only_data_managers_export_and_read_the_logs(who, may, team, client):
    client.force_login(team[who])
    assert client.get("/cases/export.csv").status_code == (200 if may else 403)
    assert client.get("/admin/casework/caseview/").status_code == (200 if may else 403)
    assert client.get("/admin/bin/").status_code == (200 if may else 403)
