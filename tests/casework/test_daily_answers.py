"""The three daily questions, each in one API call: stalled requests (tests/casework/test_stalled_everywhere.py),
each government's latest position on each request, and what happened in a case since a date."""

from __future__ import annotations

import datetime

import pytest

from events.models import Event
from tests import factories
from tests.api_fixtures import client_for
from tests.day_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_files")


def test_the_position_matrix_is_one_call_by_reference(erin, kursk):
    body = client_for(erin).get(f"/api/v1/cases/{kursk.reference}/positions/").json()
    assert {g["name"] for g in body["governments"]} == {"Ukraine", "North Korea", "South Korea", "Russia"}
    transfer = next(row for row in body["rows"] if row["summary"] == "Transfer to South Korea")
    seoul = transfer["positions"]["South Korea"]
    assert seoul["stance"] == "conditional" and seoul["condition"]
    assert seoul["stated_on_display"] and seoul["days_since"] >= 0


@pytest.fixture
def dated_events(kursk):
    for title, day, precision in (
        ("Q4 2024 deployment", datetime.date(2024, 10, 1), "quarter"),
        ("January capture", datetime.date(2025, 1, 1), "month"),
        ("A day in November", datetime.date(2025, 11, 20), "day"),
    ):
        factories.EventFactory(case=kursk, title=title, occurred_on=day, occurred_on_precision=precision)


def titles(response) -> set[str]:
    return {entry["title"] for entry in response.json()["results"]}


def test_the_timeline_since_a_date_keeps_only_entries_whose_whole_period_is_in_it(erin, kursk, dated_events):
    api = client_for(erin)
    url = f"/api/v1/cases/{kursk.reference}/timeline/"
    shown = titles(api.get(url, {"since": "2024-12-01", "kind": "event"}))
    assert "January capture" in shown and "A day in November" in shown
    assert "Q4 2024 deployment" not in shown  # only partly after 1 December 2024
    assert "Q4 2024 deployment" in titles(api.get(url, {"since": "2024-10-01", "until": "2024-12-31"}))
    assert titles(api.get(url, {"until": "2025-01-15"})) >= {"Q4 2024 deployment"}
    assert "January capture" not in titles(api.get(url, {"until": "2025-01-15"}))


def test_the_timeline_refuses_an_unknown_parameter_naming_it(erin, kursk):
    response = client_for(erin).get(f"/api/v1/cases/{kursk.pk}/timeline/", {"from": "2025-01-01"})
    assert response.status_code == 400
    assert "since" in response.json()["from"][0]
    assert client_for(erin).get(f"/api/v1/cases/{kursk.pk}/timeline/", {"kind": "nope"}).status_code == 400
    assert Event.objects.exists()


def test_every_case_filter_takes_the_reference_where_it_takes_the_id(erin, kursk):
    api = client_for(erin)
    by_id = api.get("/api/v1/requests/", {"case": kursk.pk}).json()["results"]
    by_reference = api.get("/api/v1/requests/", {"case": kursk.reference}).json()["results"]
    assert by_id and [r["id"] for r in by_reference] == [r["id"] for r in by_id]
    assert api.get("/api/v1/positions/", {"case": kursk.reference.lower()}).status_code == 200
    assert api.get("/api/v1/requests/", {"case": "VIG-1999-9999"}).status_code == 400


def test_an_unknown_parameter_is_a_400_that_names_it_and_lists_the_accepted(erin, kursk):
    response = client_for(erin).get("/api/v1/requests/", {"since": "2025-01-01"})
    assert response.status_code == 400
    message = response.json()["since"][0]
    assert "stalled" in message and "case" in message and "page_size" in message
    assert client_for(erin).get("/api/v1/events/", {"cursor": "", "case": kursk.pk}).status_code == 200


def test_linked_objects_carry_their_name_and_address_beside_the_id(erin, kursk):
    api = client_for(erin)
    position = api.get("/api/v1/positions/", {"case": kursk.reference}).json()["results"][0]
    assert position["involvement_name"].startswith(("Ukraine", "South Korea", "North Korea", "Russia"))
    assert position["involvement_url"].endswith(f"/api/v1/involvements/{position['involvement']}/")
    request = api.get("/api/v1/requests/", {"case": kursk.reference}).json()["results"][0]
    assert request["case_name"].startswith(kursk.reference)
    assert request["person_name"] and request["person_url"].endswith(f"/api/v1/people/{request['person']}/")


def test_a_researcher_prints_requests_positions_and_events_tables_from_one_call_each(erin, kursk):
    """Each row names what it links to (person, case, government, request, source,
    people and governments concerned) beside the id: no second call to print a table."""
    api = client_for(erin)
    requests = api.get("/api/v1/requests/", {"case": kursk.reference}).json()["results"]
    table = [(r["case_name"], r["person_name"], r["summary"], r["status"], r["addressed_to_name"]) for r in requests]
    assert all(row[0].startswith(kursk.reference) and row[1] for row in table)
    assert any(row[1].startswith("Ri Jong Chol") for row in table)
    positions = api.get("/api/v1/positions/", {"case": kursk.reference}).json()["results"]
    table = [(p["involvement_name"], p["request_name"], p["stance"], p["stated_on_display"]) for p in positions]
    assert any("South Korea" in row[0] and row[1] for row in table)
    events = api.get("/api/v1/events/", {"case": kursk.reference}).json()["results"]
    table = [(e["occurred_on_display"], e["title"], e["people_names"], e["governments_names"]) for e in events]
    assert any(name.startswith("Ri Jong Chol") for row in table for name in row[2])
    assert any("Ukraine" in row[3] for row in table)
    with_people = next(e for e in events if e["people"])
    assert len(with_people["people_urls"]) == len(with_people["people"])
    assert with_people["people_urls"][0].endswith(f"/api/v1/people/{with_people['people'][0]}/")
    cited = next(e for e in events if e["citations"])["citations"][0]
    assert cited["source_name"] and cited["source_url"].endswith(f"/api/v1/sources/{cited['source']}/")
    detentions = api.get("/api/v1/detentions/").json()["results"]
    assert all(d["person_name"] for d in detentions)


def test_the_header_search_finds_cases_by_the_names_of_their_people_and_sources_and_events(client, erin, kursk):
    from django.urls import reverse

    client.force_login(erin)
    found = client.get(reverse("search"), {"q": "Ри Чон Чхоль"}).context["found"]
    assert [c.pk for c in found["cases"]] == [kursk.pk]  # no word of the case's title: its person's name
    assert [p.display_name for p in found["people"]] == ["Ri Jong Chol"]
    found = client.get(reverse("search"), {"q": "Kursk"}).context["found"]
    assert "Captured in the Kursk region" in [e.title for e in found["events"]]
    found = client.get(reverse("search"), {"q": "plead"}).context["found"]
    assert [s.title for s in found["sources"]] == ["North Korean POWs plead to be sent to South Korea"]
    page = client.get(reverse("home")).content.decode()
    assert 'role="search"' in page and 'action="/search/"' in page


def test_the_case_page_filters_its_timeline_by_date_and_kind_as_the_api_does(client, erin, kursk, dated_events):
    client.force_login(erin)
    url = kursk.get_absolute_url()
    page = client.get(url, {"since": "2024-12-01", "kind": "event"})
    titles = [entry.title for entry in page.context["timeline"]]
    api = client_for(erin).get(f"/api/v1/cases/{kursk.reference}/timeline/", {"since": "2024-12-01", "kind": "event"})
    assert titles == [entry["title"] for entry in api.json()["results"]]
    assert "January capture" in titles and "Q4 2024 deployment" not in titles
    assert {entry.kind for entry in page.context["timeline"]} == {"event"}
    assert 'name="since" value="2024-12-01"' in page.content.decode()
    page = client.get(url, {"since": "1 December"})  # a wrong date: said by its field, the whole timeline shown
    assert page.status_code == 200 and "cannot be misread" in page.content.decode()
    assert "Q4 2024 deployment" in [entry.title for entry in page.context["timeline"]]


@pytest.mark.parametrize(
    ("language", "since", "until"),
    [
        ("en", "Q4 2024", "January 2025"),
        ("uk", "жовтень 2024", "січень 2025"),
        ("ko", "2024년 4분기", "2025년 1월"),
        ("ru", "01.10.2024", "2025"),
    ],
)
def test_the_case_pages_timeline_filter_takes_dates_as_people_write_them(
    client, erin, kursk, dated_events, language, since, until
):
    """No browser date picker (mm/dd/yyyy in one locale, dd.mm.yyyy in another): the text a
    reader writes, a period standing for its days, the API's filter underneath."""
    from core.services import preferences_set

    preferences_set(user=erin, language=language, time_zone="")
    client.force_login(erin)
    page = client.get(kursk.get_absolute_url(), {"since": since, "until": until, "kind": "event"})
    shown = {entry.title for entry in page.context["timeline"]}
    assert "Q4 2024 deployment" in shown and "January capture" in shown  # whole periods, both in
    if until != "2025":
        assert "A day in November" not in shown
    html = page.content.decode()
    assert f'name="since" value="{since}"' in html and 'type="date"' not in html
    # The same bounds, in days, as the API takes them: the same entries.
    bounds = page.context["timeline_filter"]
    api = client_for(erin).get(
        f"/api/v1/cases/{kursk.reference}/timeline/",
        {"since": bounds.since.isoformat(), "until": bounds.until.isoformat(), "kind": "event"},
    )
    assert shown == titles(api)


def test_a_precision_chosen_for_a_timeline_bound_widens_it_to_its_period(client, erin, kursk, dated_events):
    client.force_login(erin)
    page = client.get(kursk.get_absolute_url(), {"until": "2025-01-15", "until_precision": "month"})
    assert page.context["timeline_filter"].until == datetime.date(2025, 1, 31)
    assert "January capture" in {entry.title for entry in page.context["timeline"]}
    page = client.get(kursk.get_absolute_url(), {"since": "02/03/2025"})  # ambiguous: refused, said by its field
    assert "since" in page.context["timeline_filter"].errors


def _lists_with_a_case_filter() -> list[str]:
    """Every API list whose filter set has ``case`` (read from the routers: a new one is covered)."""
    from tests.attack_surface import api_routes

    found = []
    for route in api_routes():
        filterset = getattr(route.view, "filterset_class", None)
        if route.is_list and "GET" in route.methods and filterset is not None and "case" in filterset.base_filters:
            found.append(route.template)
    return sorted(set(found))


@pytest.mark.parametrize("path", _lists_with_a_case_filter())
def test_every_lists_case_filter_takes_the_reference_as_it_takes_the_id(path, erin, kursk, dated_events):
    api = client_for(erin)
    by_id = api.get(path, {"case": kursk.pk})
    by_reference = api.get(path, {"case": kursk.reference})
    assert by_id.status_code == by_reference.status_code == 200, (by_id.content[:300], by_reference.content[:300])
    assert [row["id"] for row in by_reference.json()["results"]] == [row["id"] for row in by_id.json()["results"]]
    unknown = api.get(path, {"case": kursk.reference, "stalled_since": "2025-01-01"})
    assert unknown.status_code == 400 and "stalled_since" in unknown.json()
