"""Filtering, search and ordering on every list.

First, mechanically over every filter of every list: a valid value answers 200,
and a bad value (an unknown choice, a malformed date or number, an id that
does not exist or that the user may not see) answers 400 naming the
parameter, never an empty list. Then, the filters a researcher reaches for.
"""

from __future__ import annotations

import datetime

import django_filters as filters
import pytest
from django.urls import resolve

from casework.services import request_update_status
from core.api.filters import LinkedFilter
from tests import factories
from tests.api_resources import RESOURCES, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings")]


def filters_of(resource):
    view = resolve(url(resource)).func.cls
    return view.filterset_class.base_filters.items()


EVERY_FILTER = [(resource, name, flt) for resource in RESOURCES for name, flt in filters_of(resource)]
ids = [f"{resource.path}?{name}" for resource, name, _ in EVERY_FILTER]


class _Request:
    def __init__(self, user):
        self.user = user


def valid_value(flt, user) -> str:
    if isinstance(flt, LinkedFilter):
        return str(flt.queryset(_Request(user)).values_list("pk", flat=True).first())
    if isinstance(flt, filters.IsoDateTimeFilter):
        return "2025-01-01T00:00:00Z"
    if isinstance(flt, filters.DateFilter):
        return "2025-01-01"
    if isinstance(flt, filters.NumberFilter):
        return "1"
    if isinstance(flt, filters.BooleanFilter):
        return "true"
    if isinstance(flt, filters.ChoiceFilter | filters.MultipleChoiceFilter):
        choices = [value for value, _label in flt.extra["choices"]]
        return "KP" if "KP" in choices else str(choices[0])
    return "Ri"


def bad_values(flt) -> list[str]:
    if isinstance(flt, LinkedFilter):
        return ["999999", "abc"]
    if isinstance(flt, filters.IsoDateTimeFilter):
        return ["yesterday"]
    if isinstance(flt, filters.DateFilter):
        return ["2025-13-45", "17/02/2025"]
    if isinstance(flt, filters.NumberFilter):
        return ["abc"]
    if isinstance(flt, filters.ChoiceFilter | filters.MultipleChoiceFilter):
        return ["not-a-choice"]
    return []


@pytest.fixture
def some_of_everything(open_case, restricted_case):
    for resource in RESOURCES:
        resource.make(open_case)


@pytest.mark.parametrize(("resource", "name", "flt"), EVERY_FILTER, ids=ids)
def test_every_filter_accepts_a_valid_value(resource, name, flt, editor_api, editor, some_of_everything):
    response = editor_api.get(url(resource), {name: valid_value(flt, editor)})
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize(("resource", "name", "flt"), EVERY_FILTER, ids=ids)
def test_every_filter_refuses_a_bad_value_with_a_400_naming_it(resource, name, flt, editor_api):
    for value in bad_values(flt):
        response = editor_api.get(url(resource), {name: value})
        assert response.status_code == 400, (value, response.content)
        assert name in response.json()


def test_a_filter_on_a_restricted_case_is_a_400_for_an_outsider(outsider_api, restricted_case):
    factories.CaseSubjectFactory(case=restricted_case)
    for path in ("people", "requests", "events", "notes", "sources"):
        response = outsider_api.get(f"/api/v1/{path}/", {"case": restricted_case.pk})
        assert response.status_code == 400
        assert "case" in response.json()


def test_an_unknown_ordering_field_is_ignored_not_an_error(editor_api):
    assert editor_api.get("/api/v1/cases/", {"ordering": "password"}).status_code == 200


# ------------------------------------------------------------------ the researcher's filters


@pytest.fixture
def kursk(restricted_case):
    """Two transfer requests to South Korea (one stalled), a medicine request, Seoul receiving."""
    case = restricted_case
    ri = factories.CaseSubjectFactory(case=case, person__display_name="Ri Jong Chol", person__nationality="KP").person
    factories.PersonNameFactory(person=ri, name="리정철", kind="original", language="ko")
    kim = factories.CaseSubjectFactory(case=case, person__display_name="Kim", person__nationality="KP").person
    korea = factories.GovernmentFactory(name="Republic of Korea", country="KR")
    factories.InvolvementFactory(case=case, government=korea, role="receiving_state")
    stalled = factories.StatedRequestFactory(
        case=case, person=ri, category="transfer", summary="Transfer", destination_country="KR"
    )
    request_update_status(request=stalled, status="stalled", occurred_on=datetime.date(2025, 10, 1))
    moving = factories.StatedRequestFactory(
        case=case,
        person=kim,
        category="transfer",
        summary="Transfer",
        destination_country="KR",
        first_stated_on=datetime.date(2025, 6, 1),
    )
    medicine = factories.StatedRequestFactory(case=case, person=kim, category="medicine", summary="Medicine")
    capture = factories.EventFactory(
        case=case, kind="capture", title="Captured near Kursk", occurred_on=datetime.date(2025, 1, 9)
    )
    interview = factories.EventFactory(
        case=case, kind="interview", title="Interview with a newspaper", occurred_on=datetime.date(2025, 2, 19)
    )
    return {
        "case": case,
        "ri": ri,
        "kim": kim,
        "stalled": stalled,
        "moving": moving,
        "medicine": medicine,
        "capture": capture,
        "interview": interview,
    }


def ids_of(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_stalled_transfer_requests_to_south_korea(editor_api, kursk, open_case):
    factories.StatedRequestFactory(case=open_case, category="transfer", summary="Elsewhere", destination_country="US")
    response = editor_api.get("/api/v1/requests/", {"status": "stalled", "category": "transfer", "destination": "KR"})
    assert ids_of(response) == [kursk["stalled"].pk]


def test_multiple_values_of_a_filter_are_either_of_them(editor_api, kursk):
    response = editor_api.get(f"/api/v1/requests/?category=transfer&category=medicine&case={kursk['case'].pk}")
    assert sorted(ids_of(response)) == sorted([kursk["stalled"].pk, kursk["moving"].pk, kursk["medicine"].pk])


def test_requests_by_date_first_stated(editor_api, kursk):
    response = editor_api.get("/api/v1/requests/", {"stated_after": "2025-05-01", "stated_before": "2025-06-30"})
    assert ids_of(response) == [kursk["moving"].pk]


def test_cases_by_government_and_its_role(editor_api, kursk, open_case):
    factories.InvolvementFactory(case=open_case, government__country="KR", role="mediator")
    response = editor_api.get("/api/v1/cases/", {"government": "KR", "government_role": "receiving_state"})
    assert ids_of(response) == [kursk["case"].pk]


def test_people_by_case_and_nationality(editor_api, kursk, open_case):
    factories.CaseSubjectFactory(case=open_case, person__nationality="KP")
    response = editor_api.get("/api/v1/people/", {"case": kursk["case"].pk, "nationality": "KP"})
    assert sorted(ids_of(response)) == sorted([kursk["ri"].pk, kursk["kim"].pk])


def test_events_by_case_kind_and_date(editor_api, kursk, open_case):
    factories.EventFactory(case=open_case, kind="capture")
    response = editor_api.get("/api/v1/events/", {"case": kursk["case"].pk, "kind": "capture"})
    assert ids_of(response) == [kursk["capture"].pk]
    response = editor_api.get("/api/v1/events/", {"occurred_after": "2025-02-01", "occurred_before": "2025-02-28"})
    assert ids_of(response) == [kursk["interview"].pk]


@pytest.mark.parametrize(
    "spelling", ["Ri Jong Chol", "Lee Jung-chul", "Yi Jeong-cheol", "리정철", "이정철", "Ри Чон Чхоль"]
)
def test_people_are_found_by_any_spelling(editor_api, kursk, spelling):
    factories.PersonFactory(display_name="Park Min-su")
    response = editor_api.get("/api/v1/people/", {"search": spelling})
    assert ids_of(response)[0] == kursk["ri"].pk


def test_name_search_ranks_the_exact_spelling_first(editor_api, kursk):
    factories.PersonFactory(display_name="Ri Jong Su")
    results = ids_of(editor_api.get("/api/v1/people/", {"search": "Ri Jong Chol"}))
    assert results[0] == kursk["ri"].pk


def test_name_search_does_not_reveal_restricted_people(outsider_api, kursk):
    assert ids_of(outsider_api.get("/api/v1/people/", {"search": "Ri Jong Chol"})) == []


def test_full_text_search_on_cases_events_and_sources(editor_api, kursk):
    source = factories.SourceFactory(title="Seoul says it will accept the prisoners")
    factories.SourceFactory(title="Weather report")
    assert ids_of(editor_api.get("/api/v1/events/", {"search": "captured kursk"})) == [kursk["capture"].pk]
    assert ids_of(editor_api.get("/api/v1/sources/", {"search": "accepting prisoner"})) == [source.pk]
    assert ids_of(editor_api.get("/api/v1/cases/", {"search": "Kursk prisoners"})) == [kursk["case"].pk]
    assert ids_of(editor_api.get("/api/v1/cases/", {"search": kursk["case"].reference})) == [kursk["case"].pk]


def test_full_text_search_does_not_reveal_restricted_cases(outsider_api, kursk):
    assert ids_of(outsider_api.get("/api/v1/cases/", {"search": "Kursk"})) == []
    assert ids_of(outsider_api.get("/api/v1/events/", {"search": "captured"})) == []


def test_ordering(editor_api, kursk):
    newest_first = ids_of(editor_api.get("/api/v1/requests/", {"ordering": "-first_stated_on"}))
    assert newest_first[0] == kursk["moving"].pk
    events = ids_of(editor_api.get("/api/v1/events/", {"ordering": "-sort_date"}))
    assert events == [kursk["interview"].pk, kursk["capture"].pk]


def test_sources_by_the_case_they_are_cited_in(editor_api, kursk, open_case):
    cited = factories.CitationFactory(event=kursk["capture"]).source
    factories.CitationFactory(event=factories.EventFactory(case=open_case))
    assert ids_of(editor_api.get("/api/v1/sources/", {"case": kursk["case"].pk})) == [cited.pk]


def test_follow_ups_by_done(editor_api, open_case):
    done = factories.FollowUpFactory(case=open_case, done_at=datetime.datetime(2025, 5, 2, tzinfo=datetime.UTC))
    todo = factories.FollowUpFactory(case=open_case)
    assert ids_of(editor_api.get("/api/v1/follow-ups/", {"done": "true"})) == [done.pk]
    assert ids_of(editor_api.get("/api/v1/follow-ups/", {"done": "false"})) == [todo.pk]


def test_a_date_time_with_an_offset_postgresql_refuses_is_a_400_not_a_500(editor_api):
    response = editor_api.get("/api/v1/notes/", {"created_before": "2396-12-18T06:00:46-20:53"})
    assert response.status_code in (200, 400)
    response = editor_api.get("/api/v1/notes/", {"created_after": "0001-01-01T00:00:00+14:00"})
    assert response.status_code == 400
    assert "created_after" in response.json()
