"""A person's visibility fails closed (issue 10, finding 6): a person in no case
the user may see is visible only to data managers, holders of
``view_all_cases`` and the user who created them (while they are in no case).

Alice leads the restricted case, Bob is on its team, Olivia is an outsider
editor, Sam a superuser.
"""

from __future__ import annotations

from casework.models import CaseSubject
from people.models import Detention, Person, PersonIdentifier, PersonName
from tests import factories
from tests.api_fixtures import client_for


def test_a_person_in_no_case_is_hidden_from_other_users(olivia, bob, sam):
    alone = factories.PersonFactory(display_name="Nobody's person")
    factories.PersonNameFactory(person=alone, name="Nobody")
    factories.DetentionFactory(person=alone)
    for user in (olivia, bob):
        assert not Person.objects.visible_to(user).filter(pk=alone.pk).exists()
        assert not PersonName.objects.visible_to(user).filter(person=alone).exists()
        assert not Detention.objects.visible_to(user).filter(person=alone).exists()
    assert Person.objects.visible_to(sam).filter(pk=alone.pk).exists()


def test_removing_the_last_link_to_a_restricted_case_does_not_make_the_person_public(restricted_case, olivia, bob):
    person = factories.PersonFactory(display_name="Tumanov")
    factories.PersonIdentifierFactory(person=person, kind="icrc", value="ICRC-1")
    link = factories.CaseSubjectFactory(case=restricted_case, person=person)
    assert Person.objects.visible_to(bob).filter(pk=person.pk).exists()
    CaseSubject.objects.filter(pk=link.pk).delete()
    assert not Person.objects.visible_to(olivia).filter(pk=person.pk).exists()
    assert not PersonIdentifier.objects.visible_to(olivia).filter(person=person).exists()
    page_client = client_for(olivia)
    assert page_client.get(f"/api/v1/people/{person.pk}/").status_code == 404


def test_a_person_created_through_the_api_is_seen_by_its_creator_only_until_linked(olivia, bob, open_case):
    api = client_for(olivia)
    response = api.post("/api/v1/people/", {"display_name": "New person", "nationality": "KP"}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert api.get(f"/api/v1/people/{pk}/").status_code == 200
    assert client_for(bob).get(f"/api/v1/people/{pk}/").status_code == 404
    factories.CaseSubjectFactory(case=open_case, person=Person.objects.get(pk=pk))
    assert client_for(bob).get(f"/api/v1/people/{pk}/").status_code == 200


def test_a_person_created_in_the_admin_is_seen_by_its_creator(olivia, bob, client):
    client.force_login(olivia)
    data = {
        "display_name": "Admin person",
        "sex": "unknown",
        "status": "unknown",
        "birth_date_precision": "unknown",
        "risk_level": "unknown",
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("names", "identifiers", "detentions")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    response = client.post("/admin/people/person/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get(display_name="Admin person")
    assert person.created_by == olivia
    assert Person.objects.visible_to(olivia).filter(pk=person.pk).exists()
    assert not Person.objects.visible_to(bob).filter(pk=person.pk).exists()


def test_the_creator_loses_sight_once_the_person_is_only_in_a_case_he_may_not_see(olivia, restricted_case):
    person = factories.PersonFactory(created_by=olivia)
    assert Person.objects.visible_to(olivia).filter(pk=person.pk).exists()
    factories.CaseSubjectFactory(case=restricted_case, person=person)
    assert not Person.objects.visible_to(olivia).filter(pk=person.pk).exists()


def test_an_events_links_show_only_the_people_the_reader_may_see(olivia, bob, open_case, restricted_case):
    """An event's people, governments and sources are read in the page's own query
    (core/api/folded.py): a person held only in a restricted case is left out for an
    outsider, in the list, the detail and a search, and shown to the case's team."""
    from events.models import EventGovernment, EventPerson

    hidden = factories.PersonFactory(display_name="Held in secret")
    factories.CaseSubjectFactory(case=restricted_case, person=hidden)
    known = factories.PersonFactory(display_name="Known Kim")
    factories.CaseSubjectFactory(case=open_case, person=known)
    event = factories.EventFactory(case=open_case, title="Hunger strike in Kursk")
    EventPerson.objects.create(event=event, person=hidden)
    EventPerson.objects.create(event=event, person=known)
    EventGovernment.objects.create(event=event, government=factories.GovernmentFactory(name="Ruritania"))
    citation = factories.CitationFactory(event=event)
    paths = ("/api/v1/events/", f"/api/v1/events/{event.pk}/", "/api/v1/events/?search=hunger+strike")
    for user, people in ((olivia, [known]), (bob, [hidden, known])):
        api = client_for(user)
        for path in paths:
            response = api.get(path)
            assert response.status_code == 200, response.content
            row = response.json()["results"][0] if "results" in response.json() else response.json()
            assert row["people"] == [person.pk for person in people], (user, path)
            assert row["people_names"] == [person.display_name for person in people], (user, path)
            assert row["governments_names"] == ["Ruritania"]
            assert [cited["id"] for cited in row["citations"]] == [citation.pk]
            assert "Held in secret" not in response.content.decode() or user == bob
