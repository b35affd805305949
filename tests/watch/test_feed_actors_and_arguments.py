"""Issue 11's records in the change feed: actors and legal bases (reference data: every
reader), legal arguments (their case's rule), and the actors present at an event (carried
as the event, which shows them). Read as two editors of different teams: what belongs to
a restricted case never reaches the one outside it, not even as a tombstone."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from casework.models import Actor, LegalArgument, LegalBasis
from events.models import EventActor
from tests import factories
from tests.conftest import grant_editor
from watch.models import Change

pytestmark = pytest.mark.django_db(transaction=True)


def read_all(client, cursor: str = "") -> tuple[list[dict], str]:
    entries = []
    while True:
        page = client.get("/api/v1/changes/", {"since": cursor, "limit": 50}).json()
        entries += page["changes"]
        cursor = page["cursor"]
        if not page["more"]:
            return entries, cursor


def feed_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def keys(entries) -> set[tuple[str, int, str]]:
    return {(entry["type"], entry["id"], entry["op"]) for entry in entries}


def test_actors_bases_arguments_and_actors_present_follow_the_feeds_access_rule(db):
    alice = grant_editor(factories.UserFactory(username="alice"))  # leads the restricted case
    olivia = grant_editor(factories.UserFactory(username="olivia"))  # another team's editor
    restricted = factories.RestrictedCaseFactory(title="Restricted: Kursk", lead=alice)
    open_case = factories.CaseFactory(title="Open case")
    alices, olivias = feed_of(alice), feed_of(olivia)
    _seen, alice_cursor = read_all(alices)
    _seen, olivia_cursor = read_all(olivias)

    icrc = Actor.objects.create(kind="organisation", name="ICRC")
    basis = LegalBasis.objects.create(name="GC III Art. 118 (test)")
    secret_event = factories.EventFactory(case=restricted, title="Met in the camp")
    secret_request = factories.StatedRequestFactory(case=restricted)
    secret_argument = LegalArgument.objects.create(
        case=restricted, basis=basis, request=secret_request, argument="Repatriation would endanger him"
    )
    EventActor.objects.create(event=secret_event, actor=icrc, part="visited them")
    open_event = factories.EventFactory(case=open_case, title="Seen on television")
    EventActor.objects.create(event=open_event, actor=icrc, part="filmed them")

    alice_entries, alice_cursor = read_all(alices, alice_cursor)
    olivia_entries, olivia_cursor = read_all(olivias, olivia_cursor)
    # Reference data reaches both.
    for entries in (alice_entries, olivia_entries):
        assert {("actors", icrc.pk, "upsert"), ("legal-bases", basis.pk, "upsert")} <= keys(entries)
        shown = [e for e in entries if e["type"] == "events" and e["id"] == open_event.pk]
        assert shown and shown[-1]["data"]["actors_present"][0]["part"] == "filmed them"
    # The restricted case's argument and the actor present at its event: its team only.
    assert ("legal-arguments", secret_argument.pk, "upsert") in keys(alice_entries)
    at_camp = [e for e in alice_entries if e["type"] == "events" and e["id"] == secret_event.pk]
    assert at_camp[-1]["data"]["actors_present"] == [{"actor": icrc.pk, "name": "ICRC", "part": "visited them"}]
    assert not {e["id"] for e in olivia_entries if e["type"] in ("legal-arguments", "events")} & {
        secret_argument.pk,
        secret_event.pk,
    }
    assert "Repatriation" not in str(olivia_entries) and "visited them" not in str(olivia_entries)
    # An actor added at an event is one change of the event, in its case.
    logged = Change.objects.filter(table="events_event", object_id=secret_event.pk)
    assert set(logged.values_list("case_id", flat=True)) == {restricted.pk}

    # Removed: the argument is a tombstone for the team, nothing for the outsider; the event
    # comes again without the actor.
    argument_id = secret_argument.pk
    secret_argument.delete()
    EventActor.objects.filter(event=secret_event).delete()
    alice_entries, _cursor = read_all(alices, alice_cursor)
    olivia_entries, _cursor = read_all(olivias, olivia_cursor)
    assert ("legal-arguments", argument_id, "delete") in keys(alice_entries)
    at_camp = [e for e in alice_entries if e["type"] == "events" and e["id"] == secret_event.pk]
    assert at_camp and at_camp[-1]["data"]["actors_present"] == []
    assert olivia_entries == []
