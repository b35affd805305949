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
