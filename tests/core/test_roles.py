"""Each role may do what it is for, and no more (admin; the API and dashboard check the same permissions).

Viola is a viewer, Eddie an editor, Lena a case lead who leads the case, Carl a
case lead of other cases, Dana a data manager.
"""

import pytest
from django.contrib.auth.models import Group

from casework.models import CaseMember
from core.roles import CASE_LEAD, DATA_MANAGER, EDITOR, VIEWER
from tests import factories

INLINES = ("members", "subjects", "requests", "involvements", "follow_ups", "notes")


_member = factories.user_with_role


@pytest.fixture
def people(db):
    return {
        "viola": _member("viola", VIEWER),
        "eddie": _member("eddie", EDITOR),
        "lena": _member("lena", CASE_LEAD),
        "carl": _member("carl", CASE_LEAD),
        "dana": _member("dana", DATA_MANAGER),
    }


@pytest.fixture
def case(people):
    case = factories.CaseFactory(title="Kursk prisoners", lead=people["lena"])
    for name in ("viola", "eddie", "carl"):
        factories.CaseMemberFactory(case=case, user=people[name])
    return case


def _case_form(case, **changes):
    form = {
        "title": case.title,
        "summary": "",
        "tags": "",
        "status": case.status,
        "priority": case.priority,
        "confidentiality": case.confidentiality,
        "lead": case.lead_id,
        "opened_on": case.opened_on.isoformat(),
        **{f"{prefix}-{key}": "0" for prefix in INLINES for key in ("TOTAL_FORMS", "INITIAL_FORMS")},
    }
    form["members-INITIAL_FORMS"] = "0"
    form.update(changes)
    return form


def test_the_roles_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {VIEWER, EDITOR, CASE_LEAD, DATA_MANAGER}


@pytest.mark.parametrize("who", ["viola", "eddie", "lena", "carl", "dana"])
def test_every_role_reads_the_cases_it_can_see(who, people, case, client):
    people[who].is_staff = True
    people[who].save()
    client.force_login(people[who])
    assert client.get(f"/admin/casework/case/{case.pk}/change/").status_code == 200


@pytest.mark.parametrize(
    ("who", "may"), [("viola", False), ("eddie", True), ("lena", True), ("carl", True), ("dana", True)]
)
def test_who_may_edit_a_case(who, may, people, case, client):
    client.force_login(people[who])
    response = client.post(f"/admin/casework/case/{case.pk}/change/", _case_form(case, title="Renamed"))
    case.refresh_from_db()
    assert (case.title == "Renamed") is may
    if not may:
        assert response.status_code == 403


@pytest.mark.parametrize(("who", "may"), [("eddie", False), ("lena", True), ("carl", False), ("dana", True)])
def test_only_the_cases_lead_and_data_managers_change_its_confidentiality(who, may, people, case, client):
    client.force_login(people[who])
    client.post(f"/admin/casework/case/{case.pk}/change/", _case_form(case, confidentiality="restricted"))
    case.refresh_from_db()
    assert (case.confidentiality == "restricted") is may


@pytest.mark.parametrize(("who", "may"), [("eddie", False), ("lena", True), ("carl", False), ("dana", True)])
def test_only_the_cases_lead_and_data_managers_change_its_team(who, may, people, case, client):
    newcomer = factories.UserFactory(username="newcomer")
    client.force_login(people[who])
    client.post(
        f"/admin/casework/case/{case.pk}/change/",
        _case_form(case, **{"members-TOTAL_FORMS": "1", "members-0-user": newcomer.pk}),
    )
    assert CaseMember.objects.filter(case=case, user=newcomer).exists() is may


@pytest.mark.parametrize(("who", "sees"), [("eddie", False), ("carl", False), ("dana", True)])
def test_only_data_managers_see_restricted_cases_they_are_not_on(who, sees, people, client):
    restricted = factories.RestrictedCaseFactory(title="Elsewhere")
    client.force_login(people[who])
    status = client.get(f"/admin/casework/case/{restricted.pk}/change/").status_code
    assert status == (200 if sees else 404)


def test_sensitive_details_belong_to_case_leads_and_data_managers(people):
    assert not people["viola"].has_perm("people.view_sensitive")
    assert not people["eddie"].has_perm("people.view_sensitive")
    assert people["lena"].has_perm("people.view_sensitive")
    assert people["dana"].has_perm("people.view_sensitive")


def test_every_domain_permission_is_in_the_data_managers_role(db):
    """The roles are complete on a new database too (events' permissions are made after casework's)."""
    from django.contrib.auth.models import Permission

    from core.roles import DATA_MANAGER_APPS, DOMAIN_APPS

    granted = set(
        Group.objects.get(name=DATA_MANAGER)
        # and the watch's (watch/roles.py), not compared here
        .permissions.filter(content_type__app_label__in=(*DOMAIN_APPS, *DATA_MANAGER_APPS))
        .values_list("codename", flat=True)
    )
    everything = set(
        Permission.objects.filter(content_type__app_label__in=(*DOMAIN_APPS, *DATA_MANAGER_APPS)).values_list(
            "codename", flat=True
        )
    )
    assert granted == everything
    assert {"view_event", "add_event", "view_source"} <= set(
        Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True)
    )
