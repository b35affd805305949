"""cases/{id}/timeline/: the case's events, request updates, positions and
interventions merged in date order, with dates as written and sources, in
cursor pages; invisible to outsiders; sensitive entries only for those allowed."""

from __future__ import annotations

import datetime

import pytest

from casework.models import CaseView
from casework.services import request_update_status
from tests import factories
from tests.api_fixtures import if_match

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]


@pytest.fixture
def story(restricted_case):
    """The seed article in miniature: capture, a request, Seoul's condition, our letter."""
    case = restricted_case
    person = factories.CaseSubjectFactory(case=case, person__display_name="Ri").person
    report = factories.SourceFactory(title="Seoul ready to accept", publisher="Yonhap", url="https://example.org/y")
    capture = factories.EventFactory(
        case=case, kind="capture", title="Captured in Kursk", occurred_on=datetime.date(2025, 1, 9)
    )
    factories.CitationFactory(event=capture, source=report, locator="para. 1", confidence="confirmed")
    transfer = factories.StatedRequestFactory(case=case, person=person, category="transfer", summary="Transfer")
    update = request_update_status(
        request=transfer,
        status="under_verification",
        occurred_on=datetime.date(2025, 2, 1),
        occurred_on_precision="month",
    )
    position = factories.PositionStatementFactory(
        involvement__case=case,
        involvement__government__name="Republic of Korea",
        stance="conditional",
        condition="Once their intentions are verified",
        stated_on=datetime.date(2025, 3, 1),
        stated_on_precision="month",
    )
    letter = factories.InterventionFactory(case=case, occurred_on=datetime.date(2025, 4, 2))
    unknown = factories.EventFactory(
        case=case, kind="other", title="Undated", occurred_on=None, occurred_on_precision="unknown"
    )
    return {
        "capture": capture,
        "update": update,
        "position": position,
        "letter": letter,
        "unknown": unknown,
        "report": report,
    }


def test_the_timeline_merges_every_kind_in_date_order(editor_api, restricted_case, story):
    response = editor_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/")
    assert response.status_code == 200
    entries = response.json()["results"]
    assert [(entry["kind"], entry["id"]) for entry in entries] == [
        ("event", story["capture"].pk),
        ("request_update", story["update"].pk),
        ("position", story["position"].pk),
        ("intervention", story["letter"].pk),
        ("event", story["unknown"].pk),  # unknown dates last
    ]
    assert [entry["date"] for entry in entries] == [
        "9 January 2025",
        "February 2025",
        "March 2025",
        "2 April 2025",
        "date unknown",
    ]
    assert entries[0]["url"].endswith(f"/api/v1/events/{story['capture'].pk}/")
    assert entries[1]["url"].endswith(f"/api/v1/request-updates/{story['update'].pk}/")
    assert entries[1]["date_precision"] == "month"
    assert entries[1]["date_value"] == "2025-02-01"
    assert entries[2]["subkind"] == "conditional"


def test_each_entry_carries_its_sources(editor_api, restricted_case, story):
    first = editor_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/").json()["results"][0]
    assert first["sources"] == [
        {
            "id": first["sources"][0]["id"],
            "source": story["report"].pk,
            "source_title": "Seoul ready to accept",
            "source_publisher": "Yonhap",
            "source_url": "https://example.org/y",
            "source_reliability": "F",
            "locator": "para. 1",
            "confidence": "confirmed",
        }
    ]


def test_the_timeline_is_fetched_by_reference_too(editor_api, restricted_case, story):
    response = editor_api.get(f"/api/v1/cases/{restricted_case.reference}/timeline/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 5


def test_cursor_pages_walk_the_whole_timeline_forward_and_back(editor_api, restricted_case, story):
    seen, url = [], f"/api/v1/cases/{restricted_case.pk}/timeline/?page_size=2"
    pages = []
    while url:
        page = editor_api.get(url).json()
        pages.append(page)
        seen += [entry["key"] for entry in page["results"]]
        url = page["next"]
    assert len(pages) == 3
    assert len(seen) == len(set(seen)) == 5
    assert pages[0]["previous"] is None
    back = editor_api.get(pages[2]["previous"]).json()
    assert [entry["key"] for entry in back["results"]] == [entry["key"] for entry in pages[1]["results"]]


def test_a_malformed_cursor_is_a_400_not_a_500(editor_api, restricted_case, story):
    response = editor_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/?cursor=not-a-cursor")
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_an_outsider_gets_404_for_a_restricted_cases_timeline(outsider_api, restricted_case, story):
    assert outsider_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/").status_code == 404
    assert outsider_api.get(f"/api/v1/cases/{restricted_case.reference}/timeline/").status_code == 404


def test_anonymous_callers_get_401_for_a_timeline(anonymous_api, restricted_case):
    assert anonymous_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/").status_code == 401


def test_sensitive_events_are_left_out_for_a_viewer(viewer_api, editor_api, restricted_case, story):
    factories.EventFactory(case=restricted_case, kind="welfare_incident", title="Self-harm attempt")
    titles = [
        entry["title"] for entry in viewer_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/").json()["results"]
    ]
    assert "Self-harm attempt" not in titles
    titles = [
        entry["title"] for entry in editor_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/").json()["results"]
    ]
    assert "Self-harm attempt" in titles
    assert "Self-harm attempt" not in str(viewer_api.get("/api/v1/events/").json())


def test_a_viewer_does_not_see_sensitive_person_fields(viewer_api, editor_api, restricted_case):
    person = factories.CaseSubjectFactory(case=restricted_case, person__health_notes="jaw injury").person
    assert "health_notes" not in viewer_api.get(f"/api/v1/people/{person.pk}/").json()
    assert editor_api.get(f"/api/v1/people/{person.pk}/").json()["health_notes"] == "jaw injury"


def test_the_timeline_makes_the_same_number_of_queries_however_long(
    editor_api, restricted_case, story, django_assert_max_num_queries
):
    # 7 (test_api_queries, savepoints included), and the 6 of the throttle count in the database cache
    with django_assert_max_num_queries(13):
        editor_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/?page_size=1")
    for day in range(1, 20):
        factories.EventFactory(case=restricted_case, occurred_on=datetime.date(2025, 5, day))
    with django_assert_max_num_queries(13):
        editor_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/?page_size=50")


def test_service_numbers_are_left_out_for_a_viewer(viewer_api, editor_api, restricted_case):
    person = factories.CaseSubjectFactory(case=restricted_case).person
    factories.PersonIdentifierFactory(person=person, kind="service_number", value="SN-1")
    factories.PersonIdentifierFactory(person=person, kind="icrc", value="ICRC-1")
    seen = viewer_api.get(f"/api/v1/people/{person.pk}/").json()["identifiers"]
    assert [identifier["value"] for identifier in seen] == ["ICRC-1"]
    assert len(viewer_api.get("/api/v1/people/", {"identifier": "SN-1"}).json()["results"]) == 0
    assert len(editor_api.get("/api/v1/people/", {"identifier": "SN-1"}).json()["results"]) == 1


def test_only_who_may_see_sensitive_details_filters_by_risk(viewer_api, editor_api):
    response = viewer_api.get("/api/v1/people/", {"risk_level": "extreme"})
    assert response.status_code == 400
    assert "risk_level" in response.json()
    assert editor_api.get("/api/v1/people/", {"risk_level": "extreme"}).status_code == 200


def test_a_viewer_cannot_write_sensitive_person_fields(editor_api, restricted_case, outsider_api):
    person = factories.CaseSubjectFactory(case=factories.CaseFactory()).person
    path = f"/api/v1/people/{person.pk}/"
    response = outsider_api.patch(path, {"health_notes": "x"}, format="json", **if_match(outsider_api, path))
    assert response.status_code == 200  # an editor without the permission: the field is ignored
    person.refresh_from_db()
    assert person.health_notes == ""


def test_each_read_of_a_restricted_case_is_logged(editor_api, restricted_case, open_case):
    editor_api.get(f"/api/v1/cases/{restricted_case.reference}/")
    editor_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/")
    editor_api.get(f"/api/v1/cases/{open_case.pk}/")  # normal cases are not logged
    views = list(CaseView.objects.order_by("at", "id").values("case_id", "username", "channel", "what"))
    assert views == [
        {"case_id": restricted_case.pk, "username": "alice", "channel": "api", "what": "detail"},
        {"case_id": restricted_case.pk, "username": "alice", "channel": "api", "what": "timeline"},
    ]


def test_an_outsiders_attempt_is_not_a_view(outsider_api, restricted_case):
    assert outsider_api.get(f"/api/v1/cases/{restricted_case.pk}/").status_code == 404
    assert not CaseView.objects.exists()


def test_the_written_out_timeline_entry_is_drfs_own_output(editor, restricted_case, story):
    """TimelineEntrySerializer.to_representation is written out for speed: field for
    field what DRF makes of the declared fields."""
    from rest_framework import serializers as drf
    from rest_framework.test import APIRequestFactory

    from events.api.serializers import TimelineEntrySerializer
    from events.timeline import case_timeline

    request = APIRequestFactory().get("/api/v1/cases/1/timeline/")
    entries = case_timeline(restricted_case, user=editor)
    serializer = TimelineEntrySerializer(context={"request": request})
    assert len(entries) >= 5
    for entry in entries:
        assert serializer.to_representation(entry) == drf.Serializer.to_representation(serializer, entry)


def test_pages_found_in_sql_keep_the_order_of_the_whole_timeline(editor_api, restricted_case, story):
    """Same-day entries of every kind, and unknown dates, walked one at a time both ways:
    the order of entries sorted by (date, kind, id), as the timeline has always been."""
    from events.timeline import EntryKind

    day = datetime.date(2025, 2, 1)  # the request update's day: events and a position on it too
    factories.EventFactory(case=restricted_case, occurred_on=day, title="Same day, event")
    factories.EventFactory(case=restricted_case, occurred_on=day, title="Same day, another event")
    factories.PositionStatementFactory(
        involvement=story["position"].involvement, stated_on=day, stated_on_precision="month"
    )
    factories.EventFactory(case=restricted_case, occurred_on=None, occurred_on_precision="unknown", title="Undated 2")
    whole = editor_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/?page_size=500").json()["results"]
    expected = sorted(
        whole,
        key=lambda e: (e["date_value"] is None, e["date_value"] or "", EntryKind.ORDER[e["kind"]], e["id"]),
    )
    assert [e["key"] for e in whole] == [e["key"] for e in expected]
    forward, url = [], f"/api/v1/cases/{restricted_case.pk}/timeline/?page_size=1"
    while url:
        page = editor_api.get(url).json()
        forward += [entry["key"] for entry in page["results"]]
        last, url = page, page["next"]
    assert forward == [e["key"] for e in whole]
    backward, url = [], last["previous"]
    while url:
        page = editor_api.get(url).json()
        backward = [entry["key"] for entry in page["results"]] + backward
        url = page["previous"]
    assert backward == forward[:-1]


def test_a_forged_timeline_cursor_is_a_400(editor_api, restricted_case, story):
    from core.api.pagination import encode_cursor

    for cursor in (encode_cursor(["not a date", 0, 1]), encode_cursor([1, 2]), encode_cursor(["2025-01-01", "x", 1])):
        response = editor_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert "cursor" in response.json()


def test_the_apis_entries_built_in_sql_read_as_the_case_pages_entries(editor_api, editor, restricted_case, story):
    """The API's page is one statement (events.timeline.rows), the case page reads each
    entry's record (events.timeline.timeline_page): every kind reads the same in both,
    an observation's reading, a reaffirmation, a position on a request said by someone,
    an intervention to a government and a person, a source in the bin left out."""
    from rest_framework.test import APIRequestFactory

    from core.bin import bin_move
    from events.api.serializers import TimelineEntrySerializer
    from events.timeline import timeline_page

    case = restricted_case
    observed = factories.EventFactory(
        case=case, kind="observation", title="Seen", interpretation="A transfer", interpretation_confidence="probable"
    )
    factories.CitationFactory(event=observed, source=factories.SourceFactory(title="Binned"))
    bin_move(observed.citations.get().source, user=editor)
    update = story["update"]
    request_update_status(request=update.request, status=update.status, occurred_on=datetime.date(2025, 2, 3))
    factories.PositionStatementFactory(
        involvement=story["position"].involvement,
        request=update.request,
        spoken_by=factories.ActorFactory(name="Lim"),
        stance="opposes",
    )
    factories.InterventionFactory(
        case=case,
        government=factories.GovernmentFactory(name="Ukraine"),
        addressed_to_actor=factories.ActorFactory(name="Ombudsman", name_original="Уповноважений", role="office"),
        asked="Access",
        occurred_on=datetime.date(2025, 5, 1),
    )
    api = editor_api.get(f"/api/v1/cases/{case.pk}/timeline/?page_size=500").json()["results"]
    serializer = TimelineEntrySerializer(context={"request": APIRequestFactory().get(f"/api/v1/cases/{case.pk}/")})
    pages = [serializer.to_representation(entry) for entry in timeline_page(case, user=editor, size=500).entries]
    assert len(api) == 9
    assert api == pages
    titles = [entry["title"] for entry in api]
    assert any("Ombudsman (Уповноважений), office" in title and "Ukraine" in title for title in titles)
    assert any("said by Lim" in title for title in titles)
    assert not next(entry for entry in api if entry["id"] == observed.pk and entry["kind"] == "event")["sources"]


def test_a_timeline_read_logs_its_case_not_every_case_citing_its_sources(editor_api, editor, restricted_case, story):
    """The sources a timeline shows are its own entries' sources: another restricted case
    the reader may see that cites the same report is not logged as viewed."""
    other = factories.RestrictedCaseFactory(lead=editor)
    factories.CitationFactory(event=factories.EventFactory(case=other), source=story["report"])
    assert editor_api.get(f"/api/v1/cases/{restricted_case.pk}/timeline/").status_code == 200
    assert list(CaseView.objects.values_list("case_id", flat=True)) == [restricted_case.pk]
