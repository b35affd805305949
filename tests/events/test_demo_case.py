"""load_demo records the seed article whole, and running it twice changes nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command

from casework.models import Case, Involvement, RequestUpdate, StatedRequest
from events.models import Event, Source
from people.models import Person


def _counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"people", "casework", "events"}
    }


@pytest.fixture
def demo(db):
    call_command("load_demo")
    return Case.objects.get()


def test_running_load_demo_twice_changes_nothing(demo):
    before = _counts()
    call_command("load_demo")
    assert _counts() == before


def test_both_detainees_with_their_names_in_three_scripts(demo):
    people = {p.display_name: p for p in Person.objects.all()}
    assert set(people) == {"Ri Jong Chol", "Paek Kwang Hyok"}
    ri = people["Ri Jong Chol"]
    assert {"리정철", "Lee Jung-chul", "Ри Чон Чхоль"} <= set(ri.names.values_list("name", flat=True))
    assert "jaw injury" in ri.identifying_features
    assert ri.status == "in_detention" and ri.legal_status == "prisoner_of_war" and ri.risk_level == "extreme"
    assert all(p.detentions.get().locality == "near Kyiv" for p in people.values())


def test_each_request_and_its_story(demo):
    assert StatedRequest.objects.count() == 10
    transfers = StatedRequest.objects.filter(category="transfer")
    assert set(transfers.values_list("status", flat=True)) == {"stalled"}
    ri_transfer = transfers.get(person__display_name="Ri Jong Chol")
    assert str(ri_transfer.first_stated) == "February 2025", "in February only one wanted to go"
    story = list(RequestUpdate.objects.filter(request=ri_transfer).values_list("previous_status", "status"))
    assert story == [("stated", "stated"), ("stated", "stalled")], "reaffirmed this week, then stalled"
    asked = set(StatedRequest.objects.exclude(category="transfer").values_list("summary", flat=True))
    assert asked == {"Medicine", "Warm clothes", "Cigarettes", "Books"}


def test_four_governments_with_their_roles_and_south_koreas_condition(demo):
    roles = dict(Involvement.objects.values_list("government__name", "role"))
    assert roles == {
        "Ukraine": "detaining_state",
        "North Korea": "state_of_nationality",
        "South Korea": "receiving_state",
        "Russia": "belligerent_ally",
    }
    seoul = Involvement.objects.with_current_position().get(government__name="South Korea")
    assert seoul.current_stance == "conditional"
    assert "intentions are verified" in seoul.current_condition


def test_the_timeline_runs_from_capture_to_this_weeks_meeting_with_sources(demo):
    events = Event.objects.filter(case=demo)
    capture = events.get(kind="capture")
    assert (str(capture.occurred), capture.place) == ("January 2025", "Kursk region")
    assert events.filter(kind="interview", occurred_on_precision="quarter").exists()
    assert events.get(kind="welfare_incident").is_sensitive
    assert not events.filter(citations__isnull=True).exists(), "every event cites a source"
    assert Source.objects.count() == 5


def test_the_facts_beyond_governments_have_fields_of_their_own(demo):
    """Facts 3, 4, 6, 9, 14, 16, 19 and 20 of events/demo/'s list."""
    from casework.models import Actor, Intervention, LegalArgument, PositionStatement

    ri = Person.objects.get(display_name="Ri Jong Chol")
    assert (ri.birth_year_earliest, ri.birth_year_latest, ri.birth_years) == (1995, 2005, "born 1995\u20132005")
    meeting = Event.objects.get(case=demo, kind="interview")
    present = {link.actor.name: link.part for link in meeting.event_actors.select_related("actor")}
    assert set(present) == {"South Korean documentary producer (unnamed)", "Jang Se-yul"}
    jang = Actor.objects.get(name="Jang Se-yul")
    assert jang.organisation.name == "North Korean defectors' group in Seoul"
    assert Source.objects.get(title__startswith="Jang Se-yul's account").author == jang
    assert Source.objects.get(title__startswith="President Zelenskyy").author.government.name == "Ukraine"
    portraits = Event.objects.get(case=demo, kind="observation")
    assert "loyalty" in portraits.interpretation and portraits.interpretation_confidence == "possible"
    kyiv = PositionStatement.objects.get(involvement__case=demo, stance="under_consideration")
    assert (kyiv.involvement.government.name, kyiv.spoken_by.name) == ("Ukraine", "Ukrainian officials (unnamed)")
    argued = set(LegalArgument.objects.filter(request__isnull=False).values_list("basis__name", flat=True))
    assert argued == {"Humanitarian obligations of the receiving state", "Non-refoulement"}
    to_icrc = Intervention.objects.get(addressed_to_actor__name="International Committee of the Red Cross")
    assert to_icrc.legal_arguments.get().basis.name.startswith("GC III Art. 118")
    assert Actor.objects.search_names("ICRC").get() == to_icrc.addressed_to_actor
    assert Actor.objects.search_names("장세율").get() == jang


def test_a_demo_loaded_before_actors_existed_gains_them_on_the_next_load(demo):
    from casework.models import LegalArgument
    from events.models import EventActor

    EventActor.objects.all().delete()
    LegalArgument.objects.filter(request__isnull=False).delete()
    Event.objects.filter(kind="observation").delete()
    before = _counts()
    call_command("load_demo")
    assert Event.objects.filter(kind="observation").exists()
    assert EventActor.objects.count() == 3 and LegalArgument.objects.count() == 5
    call_command("load_demo")
    assert _counts()["events.EventActor"] == 3 and _counts() != before
