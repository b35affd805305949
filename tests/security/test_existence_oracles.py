"""No answer reveals a value the user may not read (issue 10, finding 7).

Bob is an editor on the restricted case's team without ``people.view_sensitive``.
Ivan, in the case, has a service number he may not read. Guessing it, by
creating the same identifier through the API or the admin, must answer exactly
as a wrong guess does, and neither may create a value Bob cannot see.
"""

from __future__ import annotations

import pytest

from people.models import PersonIdentifier
from tests import factories
from tests.api_fixtures import client_for, if_match


@pytest.fixture
def ivan(restricted_case):
    ivan = factories.PersonFactory(display_name="Ivan")
    factories.CaseSubjectFactory(case=restricted_case, person=ivan)
    factories.PersonIdentifierFactory(person=ivan, kind="service_number", value="SN-77")
    return ivan


def guess(bob, ivan, value):
    body = {"person": ivan.pk, "kind": "service_number", "value": value}
    return client_for(bob).post("/api/v1/person-identifiers/", body, format="json")


def test_a_right_and_a_wrong_guess_answer_the_same_through_the_api(ivan, bob):
    right, wrong = guess(bob, ivan, "SN-77"), guess(bob, ivan, "SN-78")
    assert right.status_code == wrong.status_code == 400
    assert right.json() == wrong.json()
    assert "already" not in str(right.json())
    assert PersonIdentifier.objects.filter(person=ivan).count() == 1


def test_a_visible_identifier_cannot_be_turned_into_a_service_number(ivan, bob):
    icrc = factories.PersonIdentifierFactory(person=ivan, kind="icrc", value="SN-77")
    api, path = client_for(bob), f"/api/v1/person-identifiers/{icrc.pk}/"
    response = api.patch(path, {"kind": "service_number"}, format="json", **if_match(api, path))
    assert response.status_code == 400
    assert "already" not in str(response.json())


def test_the_admin_does_not_offer_a_service_number_to_who_may_not_read_them(ivan, bob, client):
    client.force_login(bob)
    page = client.get(f"/admin/people/person/{ivan.pk}/change/").content.decode()
    assert 'value="service_number"' not in page
    page = client.get("/admin/people/personidentifier/add/").content.decode()
    assert 'value="service_number"' not in page


def test_who_may_read_them_still_records_them(ivan, alice, restricted_case):
    from django.contrib.auth.models import Permission

    alice.user_permissions.add(Permission.objects.get(codename="view_sensitive"))
    assert guess(type(alice).objects.get(pk=alice.pk), ivan, "SN-78").status_code == 201
