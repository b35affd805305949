"""Duplicate people: found across scripts and romanizations, reviewed, merged with every link, undone."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from casework.models import CaseSubject, StatedRequest
from events.models import EventPerson
from people.duplicates import Draft, candidates_for, review_queue
from people.models import DuplicatePair, PairStatus, Person, PersonIdentifier, PersonMerge, PersonName
from people.reasons import labels
from tests import factories


@pytest.fixture
def pak(db):
    person = factories.PersonFactory(
        display_name="Pak Chol Ho", name_original="박철호", birth_date=datetime.date(1998, 1, 1),
        birth_date_precision="year", nationality="KP",
    )  # fmt: skip
    factories.PersonIdentifierFactory(person=person, kind="icrc", value="ICRC-777")
    # In a normal case, so every user may see him (a person in no case is hidden: issue 10, finding 6).
    factories.CaseSubjectFactory(case=factories.CaseFactory(title="Pak's case"), person=person)
    return person


@pytest.mark.parametrize(
    ("spelling", "script"),
    [
        ("박철호", "Hangul"),  # the original script
        ("Pak Ch'ŏl-ho", "Latin"),  # McCune-Reischauer
        ("Bak Cheol-ho", "Latin"),  # Revised Romanization
        ("Пак Чхоль Хо", "Cyrillic"),  # Russian (Kontsevich) transcription
    ],
)
def test_a_new_record_finds_the_person_in_any_script_and_romanization(spelling, script, pak, dana):
    found = candidates_for(draft=Draft(names=[spelling], nationality="KP"), user=dana)
    assert [c.person for c in found] == [pak]
    assert any(
        reason.startswith("name matches") or reason.startswith("same name") for reason in labels(found[0].reasons)
    )
    assert script in labels(found[0].reasons)[0]


def test_a_shared_identifier_and_birth_year_are_reasons_too(pak, dana):
    draft = Draft(names=["Pak Chol-ho"], birth_date=datetime.date(1998, 6, 1), birth_precision="month",
                  identifiers=[("icrc", "icrc-777")])  # fmt: skip
    candidate = candidates_for(draft=draft, user=dana)[0]
    assert {"same ICRC reference", "born the same year"} <= set(labels(candidate.reasons))
    assert candidate.score >= 100


def test_different_people_with_a_common_name_are_told_apart_by_birth(pak, dana):
    draft = Draft(names=["Pak Chol Ho"], birth_date=datetime.date(1960, 1, 1), birth_precision="year")
    assert candidates_for(draft=draft, user=dana) == []


def test_the_api_answers_409_with_the_candidates_unless_confirmed(pak, editor_api):
    body = {"display_name": "Bak Cheol-ho", "nationality": "KP", "status": "in_detention"}
    response = editor_api.post("/api/v1/people/", body, format="json")
    assert response.status_code == 409
    assert response.json()["candidates"][0]["id"] == pak.pk
    assert response.json()["candidates"][0]["reasons"]
    assert not Person.objects.filter(display_name="Bak Cheol-ho").exists()
    assert editor_api.post("/api/v1/people/?confirm_new=true", body, format="json").status_code == 201


def test_the_admin_warns_before_saving_a_likely_duplicate(pak, client, sam):
    client.force_login(sam)
    form = {"display_name": "Пак Чхоль Хо", "sex": "unknown", "status": "unknown", "risk_level": "unknown",
            "birth_date_precision": "day", "seen_version": ""}  # fmt: skip
    for prefix in ("names", "identifiers", "detentions"):
        form |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = client.post("/admin/people/person/add/", form)
    assert response.status_code == 200
    assert "May already be recorded: Pak Chol Ho" in response.content.decode()
    assert not Person.objects.filter(display_name="Пак Чхоль Хо").exists()
    response = client.post("/admin/people/person/add/", form | {"confirm_new": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(display_name="Пак Чхоль Хо").exists()


def _find_duplicates() -> str:
    out = io.StringIO()
    call_command("find_duplicates", stdout=out)
    return out.getvalue()


def test_the_review_queue_lists_pairs_best_first_and_remembers_not_the_same_person(pak, client, dana):
    twin = factories.PersonFactory(display_name="Bak Cheol-ho", nationality="KP")
    factories.PersonIdentifierFactory(person=twin, kind="icrc", value="ICRC-777")
    weaker = factories.PersonFactory(display_name="Пак Чхоль Хо", nationality="KP")
    factories.PersonFactory(display_name="Kim Jong Su")
    assert "queued" in _find_duplicates()
    pairs = list(DuplicatePair.objects.order_by("-score"))
    assert {(p.person_a_id, p.person_b_id) for p in pairs} >= {(pak.pk, twin.pk), (pak.pk, weaker.pk)}
    assert pairs[0].person_b_id == twin.pk and "same ICRC reference" in labels(pairs[0].reasons)
    client.force_login(dana)
    page = client.get("/people/duplicates/").content.decode()
    assert page.index("Bak Cheol-ho") < page.index("Пак Чхоль Хо"), "best first"
    response = client.post(f"/people/{pak.pk}/duplicates/", {"action": "not_same", "other": weaker.pk})
    assert response.status_code == 302
    _find_duplicates()
    assert DuplicatePair.objects.get(person_a=pak, person_b=weaker).status == PairStatus.NOT_SAME
    assert (pak.pk, weaker.pk) not in {(p.person_a_id, p.person_b_id) for p in review_queue(user=dana)}
    assert f'href="/people/{weaker.pk}/"' not in client.get(f"/people/{pak.pk}/duplicates/").content.decode()


def test_editors_do_not_review_duplicates(pak, client, alice):
    client.force_login(alice)
    assert client.get("/people/duplicates/").status_code == 403
    assert client.get(f"/people/{pak.pk}/duplicates/").status_code == 403


@pytest.fixture
def linked_twin(pak, open_case):
    """Pak's duplicate, with something of every kind hanging off it."""
    twin = factories.PersonFactory(display_name="Bak Cheol-ho", nationality="KP", unit="Unit 1", rank="private")
    other_case = factories.CaseFactory(title="Another case")
    factories.CaseSubjectFactory(case=other_case, person=twin)
    factories.CaseSubjectFactory(case=open_case, person=pak)
    factories.CaseSubjectFactory(case=open_case, person=twin)  # both in the same case: stays with the twin
    request = factories.StatedRequestFactory(case=other_case, person=twin, summary="Twin's medicine")
    detention = factories.DetentionFactory(person=twin, facility="Camp 9")
    event = factories.EventFactory(case=other_case, title="Twin captured")
    link = EventPerson.objects.create(event=event, person=twin)
    citation = factories.CitationFactory(event=None, request=request)
    name = factories.PersonNameFactory(person=twin, name="Pak Ch'ŏl-ho")
    identifier = factories.PersonIdentifierFactory(person=twin, kind="service_number", value="SN-42")
    return {
        "twin": twin, "other_case": other_case, "request": request, "detention": detention, "event_link": link,
        "citation": citation, "name": name, "identifier": identifier,
    }  # fmt: skip


def test_a_merge_moves_every_link_redirects_the_old_addresses_and_is_undone_from_the_bin(
    pak, linked_twin, client, dana
):
    twin = linked_twin["twin"]
    client.force_login(dana)
    page = client.get(f"/people/{pak.pk}/duplicates/").content.decode()
    assert "Bak Cheol-ho" in page
    response = client.post(f"/people/{pak.pk}/duplicates/", {"action": "merge", "other": twin.pk, "take": ["rank"]})
    assert response.status_code == 302 and response["Location"] == f"/people/{pak.pk}/"
    pak.refresh_from_db()
    twin = Person.objects.get(pk=twin.pk)
    assert twin.in_bin and twin.merged_into == pak
    assert (pak.rank, pak.unit) == ("private", "Unit 1"), "chosen value taken, blank filled"
    assert CaseSubject.objects.filter(person=pak, case=linked_twin["other_case"]).exists()
    assert StatedRequest.objects.get(pk=linked_twin["request"].pk).person == pak
    assert linked_twin["citation"].__class__.objects.get(pk=linked_twin["citation"].pk).request.person == pak
    assert pak.detentions.filter(facility="Camp 9").exists()
    assert EventPerson.objects.get(pk=linked_twin["event_link"].pk).person == pak
    assert set(PersonName.objects.filter(person=pak).values_list("name", flat=True)) == {"Pak Ch'ŏl-ho", "Bak Cheol-ho"}
    assert PersonIdentifier.objects.get(value="SN-42").person == pak
    assert client.get(f"/people/{twin.pk}/")["Location"] == f"/people/{pak.pk}/"
    api = APIClient()
    api.force_authenticate(dana)
    response = api.get(f"/api/v1/people/{twin.pk}/")
    assert response.status_code == 301 and response["Location"].endswith(f"/api/v1/people/{pak.pk}/")

    response = client.post("/admin/bin/", {"model": "people.Person", "pk": twin.pk, "action": "restore"})
    assert response.status_code == 302
    twin.refresh_from_db()
    pak.refresh_from_db()
    assert not twin.in_bin and twin.merged_into is None
    assert (pak.rank, pak.unit) == ("", "")
    assert StatedRequest.objects.get(pk=linked_twin["request"].pk).person == twin
    assert CaseSubject.objects.filter(person=twin, case=linked_twin["other_case"]).exists()
    assert EventPerson.objects.get(pk=linked_twin["event_link"].pk).person == twin
    assert PersonIdentifier.objects.get(value="SN-42").person == twin
    assert list(PersonName.objects.filter(person=pak)) == []
    assert PersonMerge.objects.get().undone_by == dana
    assert client.get(f"/people/{twin.pk}/").status_code == 200


def test_a_merge_across_teams_is_refused(pak, restricted_case, open_case, client, dana):
    secret = factories.PersonFactory(display_name="Bak Cheol-ho", nationality="KP")
    factories.CaseSubjectFactory(case=restricted_case, person=secret)
    factories.CaseSubjectFactory(case=open_case, person=pak)
    client.force_login(dana)
    response = client.post(f"/people/{pak.pk}/duplicates/", {"action": "merge", "other": secret.pk}, follow=True)
    assert "seen by different teams" in response.content.decode()
    secret.refresh_from_db()
    assert not secret.in_bin and not PersonMerge.objects.exists()
    assert CaseSubject.objects.get(person=secret).case == restricted_case


def test_an_outsider_cannot_merge_a_person_they_may_not_see(pak, restricted_case, client, olivia):
    from django.contrib.auth.models import Permission

    olivia.user_permissions.add(Permission.objects.get(codename="review_duplicates"))
    secret = factories.PersonFactory(display_name="Bak Cheol-ho")
    factories.CaseSubjectFactory(case=restricted_case, person=secret)
    client.force_login(type(olivia).objects.get(pk=olivia.pk))
    assert client.get(f"/people/{secret.pk}/duplicates/").status_code == 404
    response = client.post(f"/people/{pak.pk}/duplicates/", {"action": "merge", "other": secret.pk})
    assert response.status_code == 302
    secret.refresh_from_db()
    assert not secret.in_bin
