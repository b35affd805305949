"""Who speaks, who is there, what an observation may mean, and on what legal basis
(issue 11, section 4): recorded from the dashboard's forms and the API, and an actor's
link to a restricted case never shown outside its team."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import Actor, LegalArgument, PositionStatement
from events.models import Event, EventActor, Source
from tests import factories
from tests.api_fixtures import client_for
from tests.day_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_files")


@pytest.fixture
def jang(db):
    return Actor.objects.create(kind="individual", name="Jang Se-yul", name_original="장세율", role="head")


@pytest.fixture
def producer(db):
    return Actor.objects.create(kind="individual", name="Kim Documentary", role="documentary producer")


def test_the_development_form_records_the_speaker_the_actors_present_and_a_reading(client, erin, kursk, jang, producer):
    client.force_login(erin)
    ukraine = kursk.involvements.get(government__name="Ukraine")
    response = client.post(
        reverse("development_create", args=[kursk.reference]),
        {
            "new_source_title": "Jang Se-yul's account",
            "new_source_kind": "ngo_statement",
            "new_source_author": jang.pk,
            "new_source_published_on": "2025-10-01",
            "new_source_published_on_precision": "quarter",
            "event-kind": "observation",
            "event-title": "Portraits of Kim Jong-un in their quarters",
            "event-occurred_on": "2025-10-01",
            "event-occurred_on_precision": "quarter",
            "event-actors": [jang.pk, producer.pk],
            "event-interpretation": "Loyalty, or fear of repercussions.",
            "event-interpretation_confidence": "possible",
            "position-involvement": ukraine.pk,
            "position-stance": "under_consideration",
            "position-stated_on": "2025-10-01",
            "position-stated_on_precision": "quarter",
            "position-spoken_by": jang.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    source = Source.objects.get(title="Jang Se-yul's account")
    assert source.author == jang
    event = Event.objects.get(kind="observation")
    assert set(event.actors.all()) == {jang, producer}
    assert (event.interpretation, event.interpretation_confidence) == ("Loyalty, or fear of repercussions.", "possible")
    position = PositionStatement.objects.get(stance="under_consideration")
    assert (position.spoken_by, position.involvement) == (jang, ukraine)
    assert "under consideration" in str(next(iter(response.context["messages"])))


def test_an_observation_without_its_reading_is_refused_field_by_field(client, erin, kursk):
    client.force_login(erin)
    response = client.post(
        reverse("development_create", args=[kursk.reference]),
        {
            "source": factories.SourceFactory().pk,
            "event-kind": "observation",
            "event-title": "Portraits",
            "event-occurred_on": "2025-10-01",
            "event-occurred_on_precision": "quarter",
        },
    )
    assert response.status_code == 400
    assert not Event.objects.filter(kind="observation").exists()
    errors = {name: form.errors for name, form in response.context["forms"].parts.items()}["event"]
    assert set(errors) >= {"interpretation", "interpretation_confidence"}


def test_the_api_records_a_development_with_speaker_and_actors(erin, kursk, jang, producer):
    api = client_for(erin)
    ukraine = kursk.involvements.get(government__name="Ukraine")
    response = api.post(
        f"/api/v1/cases/{kursk.reference}/developments/",
        {
            "new_source": {"title": "Account", "kind": "ngo_statement", "author": jang.pk,
                           "published_on": "2025-10-01", "published_on_precision": "quarter"},
            "event": {"kind": "interview", "title": "Meeting near Kyiv", "occurred_on": "2025-10-01",
                      "occurred_on_precision": "quarter",
                      "actors": [{"actor": producer.pk, "part": "met them"}, {"actor": jang.pk}]},
            "position": {"involvement": ukraine.pk, "stance": "under_consideration", "spoken_by": jang.pk,
                         "stated_on": "2025-10-01", "stated_on_precision": "quarter"},
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"]["author"] == jang.pk and body["source"]["author_name"].startswith("Jang Se-yul")
    assert {(a["actor"], a["part"]) for a in body["event"]["actors_present"]} == {
        (producer.pk, "met them"),
        (jang.pk, ""),
    }
    assert body["positions"][0]["spoken_by_name"].startswith("Jang Se-yul")


def test_an_unknown_actor_is_a_field_error_and_nothing_is_written(erin, kursk):
    api = client_for(erin)
    response = api.post(
        f"/api/v1/cases/{kursk.reference}/developments/",
        {
            "source": factories.SourceFactory().pk,
            "event": {"kind": "interview", "title": "Meeting", "occurred_on": "2025-10-01",
                      "occurred_on_precision": "quarter", "actors": [{"actor": 987654}]},
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "actors" in response.json()["event"]
    assert not Event.objects.filter(title="Meeting").exists()


def test_actors_are_found_by_any_script_or_spelling(erin, jang):
    jang.other_names = ["Chang Se-yul"]
    jang.save()
    api = client_for(erin)
    for query in ("장세율", "Jang Se Yul", "Chang Se-yul"):
        found = api.get("/api/v1/actors/", {"search": query}).json()["results"]
        assert [a["id"] for a in found] == [jang.pk], query


def test_an_actors_link_to_a_restricted_case_shows_nowhere_outside_its_team(
    alice, olivia, restricted_case, jang
):  # fmt: skip
    """Olivia sees the actor (public, like a government) but not that it is tied to the
    restricted case: not through the actor, nor the events, sources, positions or arguments."""
    event = factories.EventFactory(case=restricted_case, title="Secret meeting")
    EventActor.objects.create(event=event, actor=jang, part="met them in secret")
    factories.CitationFactory(event=event, source=factories.SourceFactory(title="Secret account", author=jang))
    request = factories.StatedRequestFactory(case=restricted_case, person=factories.CaseSubjectFactory(
        case=restricted_case).person)  # fmt: skip
    LegalArgument.objects.create(
        case=restricted_case, request=request, basis=factories.LegalBasisFactory(), argument="Secret", argued_by=jang
    )
    api = client_for(olivia)
    actor = api.get(f"/api/v1/actors/{jang.pk}/")
    assert actor.status_code == 200 and "secret" not in actor.content.decode().lower()
    for path in (
        f"/api/v1/events/?actor={jang.pk}",
        f"/api/v1/sources/?author={jang.pk}",
        f"/api/v1/positions/?spoken_by={jang.pk}",
        f"/api/v1/legal-arguments/?argued_by={jang.pk}",
        f"/api/v1/interventions/?addressed_to_actor={jang.pk}",
    ):
        response = api.get(path)
        assert response.status_code == 200 and response.json()["results"] == [], path
    # Her own team sees the links.
    mine = client_for(alice).get(f"/api/v1/events/?actor={jang.pk}").json()["results"]
    assert [e["title"] for e in mine] == ["Secret meeting"]


def test_only_data_managers_extend_the_legal_bases(dana):
    from core.roles import EDITOR

    eddie = factories.user_with_role("eddie", EDITOR)
    assert client_for(eddie).post("/api/v1/legal-bases/", {"name": "CAT Art. 3"}, format="json").status_code == 403
    assert client_for(dana).post("/api/v1/legal-bases/", {"name": "CAT Art. 3"}, format="json").status_code == 201


def test_a_birth_year_range_is_refused_backwards(erin, kursk):
    api = client_for(erin)
    person = kursk.subjects.first().person
    path = f"/api/v1/people/{person.pk}/"
    etag = api.get(path)["ETag"]
    response = api.patch(
        path, {"birth_year_earliest": 2005, "birth_year_latest": 1995}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert "earliest year of birth" in response.content.decode()


@pytest.mark.parametrize(
    "reading",
    [
        {"interpretation": "", "interpretation_confidence": ""},
        {"interpretation": "Loyalty", "interpretation_confidence": ""},
    ],
)
def test_clean_and_the_database_agree_on_an_observations_reading(db, reading):
    """The interpretation checks are CleanChecks: full_clean states them field by field
    without a query, and the database refuses what clean() refuses."""
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    event = factories.EventFactory.build(case=factories.CaseFactory(), kind="observation", **reading)
    with pytest.raises(ValidationError) as refused:
        event.full_clean(exclude=["case"])
    assert "interpretation_confidence" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.bulk_create([event])
