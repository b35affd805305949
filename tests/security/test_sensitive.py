"""Health, welfare, family and GC III details, welfare incidents and service
numbers are for users with people.view_sensitive only (admin here; the API and
dashboard read the same rule)."""

import pytest
from django.contrib.auth.models import Permission

from events.models import Citation, Event, EventPerson
from people.models import PersonIdentifier
from tests import factories


@pytest.fixture
def ri(open_case):
    person = factories.PersonFactory(
        display_name="Ri Jong Chol",
        health_notes="Jaw injury, healed with deformity",
        mother_maiden_name="Kim Sun Ok",
        risk_level="extreme",
        risk_reason="Execution if returned",
    )
    factories.CaseSubjectFactory(case=open_case, person=person)
    factories.PersonIdentifierFactory(person=person, kind="service_number", value="SN-771")
    factories.PersonIdentifierFactory(person=person, kind="icrc", value="ICRC-0042")
    incident = factories.EventFactory(case=open_case, kind="welfare_incident", title="Attempted self-harm")
    factories.CitationFactory(event=incident)
    EventPerson.objects.create(event=incident, person=person)
    factories.EventFactory(case=open_case, title="Meeting", sensitivity="sensitive")
    factories.EventFactory(case=open_case, title="Capture")
    return person


@pytest.fixture
def nurse(alice):
    alice.user_permissions.add(Permission.objects.get(codename="view_sensitive"))
    return type(alice).objects.get(pk=alice.pk)


def test_sensitive_events_and_their_links_are_hidden_without_the_permission(ri, bob, nurse):
    assert list(Event.objects.visible_to(bob).values_list("title", flat=True)) == ["Capture"]
    assert not Citation.objects.visible_to(bob).exists()
    assert not EventPerson.objects.visible_to(bob).exists()
    assert Event.objects.visible_to(nurse).count() == 3
    assert Citation.objects.visible_to(nurse).count() == 1


def test_service_numbers_are_hidden_without_the_permission(ri, bob, nurse):
    assert list(PersonIdentifier.objects.visible_to(bob).values_list("value", flat=True)) == ["ICRC-0042"]
    assert PersonIdentifier.objects.visible_to(nurse).count() == 2


def test_the_admin_leaves_sensitive_fields_out_of_the_page(ri, client, bob, nurse):
    url = f"/admin/people/person/{ri.pk}/change/"
    client.force_login(bob)
    page = client.get(url).content.decode()
    for secret in ("Jaw injury", "Kim Sun Ok", "Execution if returned", 'name="health_notes"', "SN-771"):
        assert secret not in page
    client.force_login(nurse)
    page = client.get(url).content.decode()
    for secret in ("Jaw injury", "Kim Sun Ok", "Execution if returned", "SN-771"):
        assert secret in page


def test_a_user_without_the_permission_cannot_overwrite_sensitive_fields(ri, client, bob):
    client.force_login(bob)
    response = client.post(
        f"/admin/people/person/{ri.pk}/change/",
        {
            "display_name": "Ri Jong Chol",
            "name_original": "",
            "sex": "male",
            "birth_date_precision": "day",
            "status": "in_detention",
            "health_notes": "overwritten",
            **{
                f"{p}-{k}": "0"
                for p in ("names", "identifiers", "detentions")
                for k in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ri.refresh_from_db()
    assert ri.health_notes == "Jaw injury, healed with deformity"


def test_the_timeline_leaves_out_sensitive_entries_without_the_permission(ri, open_case, bob, nurse):
    from events.timeline import case_timeline

    assert [entry.title for entry in case_timeline(open_case, user=bob)] == ["Capture"]
    assert len(case_timeline(open_case, user=nurse)) == 3
