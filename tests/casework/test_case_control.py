"""Who controls a case (issue 10, findings 3 and 8): its lead, its team, its
confidentiality and whether it goes to the bin are changed only by the case's
current lead holding the case lead role, or by a data manager; a new lead must
hold the case lead role. The same rule (``casework.services.case_control_check``)
in the admin and the API.

Lena leads the restricted case (case lead role); Eddie is an editor on its
team; Carl holds the case lead role but leads nothing; Olivia is an outsider
editor; Dana is a data manager.
"""

from __future__ import annotations

import pytest

from casework.models import Case, CaseMember, Confidentiality
from core.roles import CASE_LEAD, DATA_MANAGER, EDITOR
from tests import factories
from tests.api_fixtures import client_for, if_match


@pytest.fixture
def people(db):
    return {
        "lena": factories.user_with_role("lena", CASE_LEAD),
        "eddie": factories.user_with_role("eddie", EDITOR),
        "carl": factories.user_with_role("carl", CASE_LEAD),
        "olivia": factories.user_with_role("olivia", EDITOR),
        "dana": factories.user_with_role("dana", DATA_MANAGER),
    }


@pytest.fixture
def case(people):
    case = factories.RestrictedCaseFactory(title="Restricted", lead=people["lena"])
    CaseMember.objects.create(case=case, user=people["eddie"])
    CaseMember.objects.create(case=case, user=people["carl"])
    return case


def patch(user, case, body):
    api = client_for(user)
    path = f"/api/v1/cases/{case.pk}/"
    return api.patch(path, body, format="json", **if_match(api, path))


def test_a_team_editor_cannot_hand_the_case_to_an_outsider_through_the_api(people, case):
    response = patch(people["eddie"], case, {"lead": people["olivia"].pk})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).lead == people["lena"]


def test_a_case_lead_cannot_make_himself_lead_of_a_case_he_does_not_lead(people, case):
    response = patch(people["carl"], case, {"lead": people["carl"].pk})
    assert response.status_code == 403
    open_case = factories.CaseFactory(lead=None)
    response = patch(people["carl"], open_case, {"lead": people["carl"].pk, "confidentiality": "restricted"})
    assert response.status_code == 403
    assert Case.objects.get(pk=open_case.pk).confidentiality == Confidentiality.NORMAL


def test_the_lead_hands_the_case_only_to_someone_with_the_case_lead_role(people, case):
    response = patch(people["lena"], case, {"lead": people["eddie"].pk})
    assert response.status_code == 400
    assert "case lead role" in str(response.json()["lead"])
    assert patch(people["lena"], case, {"lead": people["carl"].pk}).status_code == 200
    assert Case.objects.get(pk=case.pk).lead == people["carl"]


def test_a_data_manager_changes_lead_team_and_confidentiality(people, case):
    body = {"lead": people["carl"].pk, "team": [people["eddie"].pk], "confidentiality": "normal"}
    assert patch(people["dana"], case, body).status_code == 200
    case.refresh_from_db()
    assert (case.lead, case.confidentiality) == (people["carl"], "normal")


def test_a_new_case_needs_a_lead_with_the_role(people):
    api = client_for(people["eddie"])
    body = {"title": "New", "opened_on": "2025-01-01", "lead": people["olivia"].pk}
    assert api.post("/api/v1/cases/", body, format="json").status_code in (400, 403)
    body["lead"] = people["lena"].pk
    assert api.post("/api/v1/cases/", body, format="json").status_code == 201


def test_a_team_editor_cannot_change_the_lead_in_the_admin(people, case, client):
    client.force_login(people["eddie"])
    page = client.get(f"/admin/casework/case/{case.pk}/change/")
    assert page.status_code == 200
    assert 'name="lead"' not in page.content.decode()
    assert 'name="confidentiality"' not in page.content.decode()


def test_the_admin_refuses_a_lead_without_the_role(people, case, client):
    client.force_login(people["lena"])
    page = client.get(f"/admin/casework/case/{case.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "lead": people["olivia"].pk,
            "tags": "",
            "opened_on": "2025-01-15",
            **{f"{prefix}-TOTAL_FORMS": "0" for prefix in inline_prefixes(page)},
            **{f"{prefix}-INITIAL_FORMS": "0" for prefix in inline_prefixes(page)},
        }
    )
    response = client.post(f"/admin/casework/case/{case.pk}/change/", data)
    assert response.status_code == 200
    assert "case lead role" in response.content.decode()
    assert Case.objects.get(pk=case.pk).lead == people["lena"]


def inline_prefixes(page) -> list[str]:
    return [formset.formset.prefix for formset in page.context["inline_admin_formsets"]]


# ---------------------------------------------------------------- finding 8: the bin


def test_an_editor_who_is_not_the_lead_cannot_bin_a_case(people, case):
    open_case = factories.CaseFactory(lead=people["lena"])
    for target in (case, open_case):
        api = client_for(people["eddie"] if target is case else people["olivia"])
        path = f"/api/v1/cases/{target.pk}/"
        assert api.delete(path, **if_match(api, path)).status_code == 403
        assert Case.objects.get(pk=target.pk).deleted_at is None


def test_the_lead_and_a_data_manager_bin_a_case(people, case):
    api = client_for(people["lena"])
    path = f"/api/v1/cases/{case.pk}/"
    assert api.delete(path, **if_match(api, path)).status_code == 204
    other = factories.CaseFactory()
    api = client_for(people["dana"])
    path = f"/api/v1/cases/{other.pk}/"
    assert api.delete(path, **if_match(api, path)).status_code == 204


def test_an_editor_cannot_bin_a_case_in_the_admin(people, client):
    open_case = factories.CaseFactory(lead=people["lena"])
    client.force_login(people["olivia"])
    assert client.post(f"/admin/casework/case/{open_case.pk}/delete/", {"post": "yes"}).status_code == 403
    data = {"action": "delete_selected", "_selected_action": [open_case.pk], "post": "yes"}
    client.post("/admin/casework/case/", data)
    assert Case.objects.get(pk=open_case.pk).deleted_at is None
