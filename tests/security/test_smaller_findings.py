"""The smaller findings of issue 10 (14): a garbage cursor is refused, not read
as the first page; an intervention links only its own case's request and
position, and is made by someone who may see its case.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests.api_fixtures import client_for


@pytest.mark.parametrize("cursor", ["garbage", "bm9wZQ==", "cD0yMDI1", "%00"])
def test_a_garbage_events_cursor_is_a_400(cursor, alice, open_case):
    factories.EventFactory(case=open_case)
    response = client_for(alice).get("/api/v1/events/", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_the_events_next_link_still_works(alice, open_case):
    for _ in range(3):
        factories.EventFactory(case=open_case)
    api = client_for(alice)
    first = api.get("/api/v1/events/", {"page_size": 2}).json()
    assert api.get(first["next"]).status_code == 200


def test_an_intervention_cannot_be_about_another_cases_request(restricted_case, open_case, alice):
    other = factories.StatedRequestFactory(case=open_case)
    intervention = factories.InterventionFactory.build(case=restricted_case, request=other)
    with pytest.raises(ValidationError, match="another case"):
        intervention.full_clean()
    body = {"case": restricted_case.pk, "kind": "letter", "request": other.pk, "occurred_on_precision": "unknown"}
    assert client_for(alice).post("/api/v1/interventions/", body, format="json").status_code == 400


def test_an_intervention_is_made_by_someone_who_may_see_its_case(restricted_case, alice, olivia):
    body = {"case": restricted_case.pk, "kind": "letter", "made_by": olivia.pk, "occurred_on_precision": "unknown"}
    response = client_for(alice).post("/api/v1/interventions/", body, format="json")
    assert response.status_code == 400
    assert "made_by" in response.json()
    body["made_by"] = alice.pk
    assert client_for(alice).post("/api/v1/interventions/", body, format="json").status_code == 201


def test_the_cases_filters_do_not_match_what_is_in_the_bin(open_case, alice, sam):
    from core.bin import bin_move

    person = factories.PersonFactory(nationality="RU")
    factories.CaseSubjectFactory(case=open_case, person=person)
    request = factories.StatedRequestFactory(case=open_case, person=factories.PersonFactory(), category="asylum")
    api = client_for(alice)
    assert api.get("/api/v1/cases/", {"request_category": "asylum"}).json()["results"]
    assert api.get("/api/v1/cases/", {"nationality": "RU"}).json()["results"]
    bin_move(request, user=sam)
    bin_move(person, user=sam)
    assert not api.get("/api/v1/cases/", {"request_category": "asylum"}).json()["results"]
    assert not api.get("/api/v1/cases/", {"nationality": "RU"}).json()["results"]
