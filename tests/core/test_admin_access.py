"""The admin starts from visible_to(): an outsider gets 404 on a restricted
case's pages and never sees it in a list, a search or an autocomplete."""

import pytest

from tests import factories


@pytest.fixture
def secret(restricted_case):
    person = factories.PersonFactory(display_name="Ri Jong Chol", name_original="리정철")
    factories.CaseSubjectFactory(case=restricted_case, person=person)
    request = factories.StatedRequestFactory(case=restricted_case, person=person, summary="Secret transfer")
    event = factories.EventFactory(case=restricted_case, title="Secret meeting")
    return {"case": restricted_case, "person": person, "request": request, "event": event}


PAGES = {
    "case": "/admin/casework/case/{pk}/change/",
    "person": "/admin/people/person/{pk}/change/",
    "request": "/admin/casework/statedrequest/{pk}/change/",
    "event": "/admin/events/event/{pk}/change/",
}


@pytest.mark.parametrize("thing", PAGES)
@pytest.mark.parametrize("suffix", ["", "../history/", "../delete/"])
def test_an_outsider_gets_404_on_a_restricted_case_page(thing, suffix, secret, client, olivia):
    client.force_login(olivia)
    url = PAGES[thing].format(pk=secret[thing].pk) + suffix
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("thing", PAGES)
@pytest.mark.parametrize("who", ["alice", "bob", "sam"])
def test_the_team_and_superusers_open_its_pages(thing, who, secret, client, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(PAGES[thing].format(pk=secret[thing].pk)).status_code == 200


def test_an_outsider_does_not_see_it_in_the_cases_list(secret, open_case, client, olivia):
    client.force_login(olivia)
    page = client.get("/admin/casework/case/").content.decode()
    assert open_case.title in page
    assert secret["case"].title not in page
    assert secret["case"].reference not in page


def test_an_outsider_does_not_find_its_person_by_any_spelling(secret, client, olivia, bob):
    link = f"/admin/people/person/{secret['person'].pk}/change/"
    client.force_login(olivia)
    for query in ("Ri Jong Chol", "리정철", "Yi Jeong-cheol"):
        assert link not in client.get("/admin/people/person/", {"q": query}).content.decode()
    client.force_login(bob)
    assert link in client.get("/admin/people/person/", {"q": "Yi Jeong-cheol"}).content.decode()


@pytest.mark.parametrize(
    ("app", "model", "field", "term", "secret_key"),
    [
        ("events", "event", "case", "Restricted", "case"),
        ("casework", "casesubject", "person", "Ri Jong", "person"),
        ("events", "citation", "request", "Secret", "request"),
    ],
)
def test_an_outsider_never_gets_it_from_an_autocomplete(
    app, model, field, term, secret_key, secret, client, olivia, bob
):
    params = {"app_label": app, "model_name": model, "field_name": field, "term": term}
    client.force_login(olivia)
    assert client.get("/admin/autocomplete/", params).json()["results"] == []
    client.force_login(bob)
    ids = [row["id"] for row in client.get("/admin/autocomplete/", params).json()["results"]]
    assert str(secret[secret_key].pk) in ids


def test_an_outsider_cannot_attach_an_event_to_a_restricted_case_by_id(secret, client, olivia):
    client.force_login(olivia)
    response = client.post(
        "/admin/events/event/add/",
        {
            "case": secret["case"].pk,
            "occurred_on": "2025-01-01",
            "occurred_on_precision": "day",
            "kind": "other",
            "title": "Forged",
            "sensitivity": "normal",
            **{
                f"{p}-{k}": v
                for p in ("event_people", "event_governments", "citations")
                for k, v in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
            },
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    from events.models import Event

    assert not Event.objects.filter(title="Forged").exists()
