"""Deleting moves to a bin: gone from every list, restorable whole by a data manager, purged only on purpose."""

import pytest
from django.contrib.auth.models import Group, Permission

from casework.models import Case, CaseSubject, RequestUpdate, StatedRequest
from casework.services import request_update_status
from core.bin import bin_move, bin_purge
from core.history import history_of
from core.roles import DATA_MANAGER
from events.models import Citation, Event
from people.models import Person
from tests import factories


@pytest.fixture
def dana(db):
    user = factories.UserFactory(username="dana")
    user.groups.add(Group.objects.get(name=DATA_MANAGER))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def case(open_case, alice):
    # Alice leads it with the case lead role: binning a case needs the right to change its team.
    alice.user_permissions.add(Permission.objects.get(codename="manage_team"))
    open_case.lead = alice
    open_case.save()
    person = factories.PersonFactory(display_name="Ri Jong Chol")
    factories.CaseSubjectFactory(case=open_case, person=person)
    request = factories.StatedRequestFactory(case=open_case, person=person)
    request_update_status(request=request, status="stalled", occurred_on=None, occurred_on_precision="unknown")
    factories.CitationFactory(event=factories.EventFactory(case=open_case))
    return open_case


HANGING = [Case, CaseSubject, StatedRequest, RequestUpdate, Event, Citation]


def _visible(user):
    return {model.__name__: model.objects.visible_to(user).count() for model in HANGING}


def test_deleting_a_case_in_the_admin_moves_it_and_all_it_holds_to_the_bin(case, client, alice, sam):
    before = _visible(sam)
    client.force_login(alice)
    response = client.post(f"/admin/casework/case/{case.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert set(_visible(sam).values()) == {0}, "gone for everyone, superusers included"
    assert {model.__name__: model.objects.count() for model in HANGING} == before, "nothing destroyed"
    case.refresh_from_db()
    assert case.deleted_by == alice
    assert history_of(case).first().pgh_context["channel"] == "admin"


def test_the_delete_page_says_it_moves_to_the_bin(case, client, alice):
    client.force_login(alice)
    page = client.get(f"/admin/casework/case/{case.pk}/delete/").content.decode()
    assert "Move the case" in page and "to the bin" in page


def test_a_data_manager_restores_it_with_everything_it_had(case, client, alice, dana, sam):
    before = _visible(sam)
    bin_move(case, user=alice)
    client.force_login(dana)
    assert case.title in client.get("/admin/bin/").content.decode()
    response = client.post("/admin/bin/", {"model": "casework.Case", "pk": case.pk, "action": "restore"})
    assert response.status_code == 302
    assert _visible(sam) == before


def test_editors_neither_see_the_bin_nor_restore(case, client, alice):
    bin_move(case, user=alice)
    client.force_login(alice)
    assert client.get("/admin/bin/").status_code == 403
    assert client.post("/admin/bin/", {"model": "casework.Case", "pk": case.pk, "action": "restore"}).status_code == 403


def test_purging_needs_the_bin_first_and_the_permission_and_history_survives(case, dana, alice):
    from django.core.exceptions import PermissionDenied, ValidationError

    event = Event.objects.get(case=case)
    with pytest.raises(ValidationError, match="Only what is in the bin"):
        bin_purge(event, user=dana)
    bin_move(event, user=alice)
    event.refresh_from_db()
    with pytest.raises(PermissionDenied):
        bin_purge(event, user=alice)
    pk = event.pk
    bin_purge(event, user=dana)
    assert not Event.objects.filter(pk=pk).exists()
    from django.apps import apps

    labels = list(
        apps.get_model("events", "EventHistory").objects.filter(pgh_obj_id=pk).values_list("pgh_label", flat=True)
    )
    assert labels.count("delete") == 1 and "insert" in labels


def test_a_person_in_the_bin_is_not_found_by_name(case, alice, sam):
    person = Person.objects.get()
    bin_move(person, user=alice)
    assert not Person.objects.visible_to(sam).search_names("Ri Jong Chol").exists()
    assert not CaseSubject.objects.visible_to(sam).exists()


def test_ticking_delete_on_a_request_row_moves_it_to_the_bin(case, client, alice):
    request = StatedRequest.objects.get()
    client.force_login(alice)
    form = {
        "title": case.title, "summary": "", "tags": "", "status": "open", "priority": "normal",
        "confidentiality": "normal", "opened_on": "2025-01-15",
        **{f"{p}-{k}": "0" for p in ("members", "subjects", "involvements", "follow_ups", "notes") for k in ("TOTAL_FORMS", "INITIAL_FORMS")},
        "requests-TOTAL_FORMS": "1", "requests-INITIAL_FORMS": "1",
        "requests-0-id": request.pk, "requests-0-case": case.pk, "requests-0-person": request.person_id,
        "requests-0-category": request.category, "requests-0-summary": request.summary,
        "requests-0-first_stated_on": "2025-02-01", "requests-0-first_stated_on_precision": "month",
        "requests-0-DELETE": "on",
    }  # fmt: skip
    response = client.post(f"/admin/casework/case/{case.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    request.refresh_from_db()
    assert request.in_bin
    assert not StatedRequest.objects.visible_to(alice).exists()


def test_a_request_in_the_bin_leaves_the_timeline_with_its_story(case, alice, sam):
    from events.timeline import case_timeline

    kinds = [entry.kind for entry in case_timeline(case, user=sam)]
    assert "request_update" in kinds
    bin_move(StatedRequest.objects.get(), user=alice)
    assert "request_update" not in [entry.kind for entry in case_timeline(case, user=sam)]


def test_a_source_in_the_bin_is_no_longer_cited_on_the_timeline(case, alice, sam):
    from events.models import Source
    from events.timeline import case_timeline

    assert any(entry.citations for entry in case_timeline(case, user=sam))
    bin_move(Source.objects.get(), user=alice)
    assert not any(entry.citations for entry in case_timeline(case, user=sam))
