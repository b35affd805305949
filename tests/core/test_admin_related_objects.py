"""Admin pages that show related objects (issue 10, finding 1): the delete
confirmation, "delete selected", raw-id lookups. What Olivia, an editor outside
the restricted case's team, may not see is neither named nor counted, and a
delete that would touch it is refused with a clear message.
"""

from __future__ import annotations

import pytest

from casework.models import CaseSubject, Government
from events.models import EventPerson
from people.models import Person
from tests import factories

REFUSAL = "records you may not see"


@pytest.fixture
def korea(restricted_case, open_case):
    """A government the restricted case's people and requests depend on, and the open case's too."""
    government = factories.GovernmentFactory(name="Republic of Korea")
    secret = factories.PersonFactory(display_name="Secret Tumanov", depends_on=government)
    factories.CaseSubjectFactory(case=restricted_case, person=secret)
    factories.StatedRequestFactory(
        case=restricted_case, person=secret, addressed_to=government, summary="Secret transfer"
    )
    known = factories.PersonFactory(display_name="Known Kim", depends_on=government)
    factories.CaseSubjectFactory(case=open_case, person=known)
    return government


def test_the_delete_page_of_a_government_names_nothing_an_outsider_may_not_see(korea, olivia, client):
    client.force_login(olivia)
    page = client.get(f"/admin/casework/government/{korea.pk}/delete/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Secret" not in body
    assert REFUSAL in body
    # Not counted either: the summary never says how many people or requests hide behind it.
    assert "Requests: 1" not in body and "People: 2" not in body


def test_a_delete_that_would_touch_hidden_records_is_refused(korea, olivia, client):
    client.force_login(olivia)
    response = client.post(f"/admin/casework/government/{korea.pk}/delete/", {"post": "yes"})
    assert REFUSAL in response.content.decode()
    assert Government.objects.filter(pk=korea.pk).exists()


def test_delete_selected_names_nothing_hidden_and_deletes_nothing(korea, olivia, client):
    client.force_login(olivia)
    data = {"action": "delete_selected", "_selected_action": [korea.pk]}
    page = client.post("/admin/casework/government/", data)
    assert "Secret" not in page.content.decode()
    assert REFUSAL in page.content.decode()
    client.post("/admin/casework/government/", {**data, "post": "yes"})
    assert Government.objects.filter(pk=korea.pk).exists()


def test_binning_a_person_who_is_also_in_a_hidden_case_is_refused(restricted_case, open_case, olivia, client):
    both = factories.PersonFactory(display_name="Kim in two cases")
    factories.CaseSubjectFactory(case=open_case, person=both)
    factories.CaseSubjectFactory(case=restricted_case, person=both)
    client.force_login(olivia)
    page = client.get(f"/admin/people/person/{both.pk}/delete/")
    assert REFUSAL in page.content.decode()
    assert restricted_case.reference not in page.content.decode()
    client.post(f"/admin/people/person/{both.pk}/delete/", {"post": "yes"})
    assert Person.objects.get(pk=both.pk).deleted_at is None


def test_someone_who_sees_everything_still_gets_the_full_list(korea, sam, client):
    client.force_login(sam)
    body = client.get(f"/admin/casework/government/{korea.pk}/delete/").content.decode()
    assert "Secret Tumanov" in body and REFUSAL not in body


def test_an_outsider_deletes_what_touches_only_what_she_sees(open_case, olivia, client):
    government = factories.GovernmentFactory(name="Lonely government")
    client.force_login(olivia)
    client.post(f"/admin/casework/government/{government.pk}/delete/", {"post": "yes"})
    assert not Government.objects.filter(pk=government.pk).exists()
    subject = factories.CaseSubjectFactory(case=open_case)
    client.post(f"/admin/casework/casesubject/{subject.pk}/delete/", {"post": "yes"})
    assert not CaseSubject.objects.filter(pk=subject.pk).exists()


def test_a_raw_id_field_does_not_name_a_hidden_record(restricted_case, olivia, client):
    """The citation admin's request update is a raw-id field, whose label Django looks up
    unfiltered: an add form opened with a hidden update's id must not describe or link it."""
    from casework.services import request_update_status

    request = factories.StatedRequestFactory(case=restricted_case, summary="Secret asylum")
    update = request_update_status(request=request, status="verified", occurred_on=None, note="Secret note")
    client.force_login(olivia)
    page = client.get("/admin/events/citation/add/", {"request_update": update.pk})
    assert page.status_code == 200
    assert f"/admin/casework/requestupdate/{update.pk}/change/" not in page.content.decode()
    assert "verified" not in page.content.decode().split('name="request_update"')[1][:400]


@pytest.fixture
def cellmate_link(restricted_case, open_case):
    """An open case's event that names, beside Kim, a person held only in the restricted case."""
    secret = factories.PersonFactory(display_name="Secret Tumanov")
    factories.CaseSubjectFactory(case=restricted_case, person=secret)
    kim = factories.PersonFactory(display_name="Known Kim")
    factories.CaseSubjectFactory(case=open_case, person=kim)
    event = factories.EventFactory(case=open_case, title="Kim and his cellmate moved")
    EventPerson.objects.create(event=event, person=kim)
    return EventPerson.objects.create(event=event, person=secret)


def test_a_link_to_a_hidden_person_is_shown_as_hidden_and_kept_when_saved(cellmate_link, olivia, client):
    from core.hidden_links import HIDDEN_RECORD

    client.force_login(olivia)
    url = f"/admin/events/eventperson/{cellmate_link.pk}/change/"
    page = client.get(url).content.decode()
    assert "Secret" not in page
    assert HIDDEN_RECORD in page
    listed = client.get("/admin/events/eventperson/").content.decode()
    assert "Known Kim" in listed and "Secret" not in listed and HIDDEN_RECORD in listed
    # The event's own page lists Kim, and neither names nor counts the hidden link.
    event_page = client.get(f"/admin/events/event/{cellmate_link.event_id}/change/").content.decode()
    assert "Known Kim" in event_page and "Secret" not in event_page
    assert 'name="event_people-TOTAL_FORMS" value="1"' in event_page
    # Deleting the link is refused: it would touch the hidden person's record.
    response = client.post(f"/admin/events/eventperson/{cellmate_link.pk}/delete/", {"post": "yes"})
    assert REFUSAL in response.content.decode()
    assert EventPerson.objects.filter(pk=cellmate_link.pk).exists()
