"""Each dashboard page makes a fixed number of queries, whatever the number of rows it shows.

Every test renders a page twice, small and large, and pins the same count for both.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casework.models import RequestStatus, Stance
from casework.services import position_record, request_update_status
from events.services import CitedSource, event_record
from tests import factories
from tests.dashboard_data import build_kursk_case

pytest_plugins = ["tests.dashboard_support"]
pytestmark = pytest.mark.usefixtures("static_storage")

# Every signed-in page: the session, the user, and the request's savepoint and
# its release (ATOMIC_REQUESTS, nested in the test's transaction); the session
# saved again at the end (SESSION_SAVE_EVERY_REQUEST: its savepoint, update and
# release); the user's permissions, own and by group, asked once by visible_to()
# and cached.
PER_REQUEST = 4 + 3 + 2

HOME_QUERIES = PER_REQUEST + 10
# stalled requests (with person, case, addressee, last movement) · have I cases of my
# own? · latest events (with case) · cases by status · open cases · detainees by
# status · requests by status · my follow-ups due · reviews due · conditional
# positions (with government, case, request, source)

CASE_LIST_QUERIES = PER_REQUEST + 3
# count (pagination) · the page of cases (with lead, open-request count) · their detainees

CASE_PAGE_QUERIES = PER_REQUEST + 19
# the case (with lead) · requests (with person, addressee, last movement) · their
# updates · subjects (with person) · their names · their detentions · follow-ups ·
# team · involvements · latest statements · timeline: events, their citations,
# request updates, their citations, positions, their citations, interventions ·
# notes · the follow-up form's assignees

PERSON_PAGE_QUERIES = PER_REQUEST + 7
# the person · names · identifiers · detentions · cases · requests · events


def signed_in(client, user):
    client.force_login(user)
    return client


def grow_case(case, *, events: int, updates: int, positions: int):
    """Add timeline entries to ``case``, each cited, so a larger page is really larger."""
    source = factories.SourceFactory()
    person = case.subjects.first().person
    involvement = case.involvements.first()
    requests = [factories.StatedRequestFactory(case=case, person=person) for _ in range(3)]
    for number in range(events):
        event_record(
            case=case,
            kind="media_report",
            title=f"Report {number}",
            occurred_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
            people=[person],
            sources=[CitedSource(source)],
        )
    for number in range(updates):
        request_update_status(
            request=requests[number % 3],
            status=RequestStatus.IN_PROGRESS,
            occurred_on=datetime.date(2025, 3, 1) + datetime.timedelta(days=number),
            source=source,
        )
    for number in range(positions):
        position_record(
            involvement=involvement,
            request=requests[number % 3],
            stance=Stance.CONDITIONAL,
            condition="if verified",
            stated_on=datetime.date(2025, 4, 1) + datetime.timedelta(days=number),
            source=source,
        )
    for number in range(3):
        factories.CaseNoteFactory(case=case, body=f"Note {number}")
        factories.FollowUpFactory(case=case, title=f"Follow-up {number}")
        factories.InterventionFactory(case=case)


def test_home_makes_a_fixed_number_of_queries(client, editor, django_assert_num_queries):
    case = build_kursk_case(lead=editor)
    signed_in(client, editor)
    with django_assert_num_queries(HOME_QUERIES):
        client.get(reverse("home"))
    grow_case(case, events=20, updates=12, positions=6)
    for _ in range(5):
        factories.FollowUpFactory(case=case, assignee=editor, due_on=datetime.date.today())
        build_kursk_case(title="Another case")
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    assert len(response.context["stalled_requests"]) > 5


def test_the_cases_list_makes_a_fixed_number_of_queries(client, editor, django_assert_num_queries):
    build_kursk_case()
    signed_in(client, editor)
    with django_assert_num_queries(CASE_LIST_QUERIES):
        client.get(reverse("case_list"), {"status": "active"})
    for _ in range(30):
        case = factories.CaseFactory(status="active")
        factories.CaseSubjectFactory(case=case)
        factories.StatedRequestFactory(case=case)
    with django_assert_num_queries(CASE_LIST_QUERIES):
        response = client.get(reverse("case_list"), {"status": "active", "sort": "priority"})
    assert len(response.context["cases"]) == 25


@pytest.mark.parametrize(("events", "updates", "positions"), [(4, 3, 3), (150, 30, 20)], ids=["10", "200"])
def test_the_case_page_makes_a_fixed_number_of_queries(
    client, editor, django_assert_num_queries, events, updates, positions
):
    case = build_kursk_case(lead=editor)
    grow_case(case, events=events, updates=updates, positions=positions)
    signed_in(client, editor)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = client.get(case.get_absolute_url())
    # The seed case's own 5 entries (capture, welfare hidden from Erin, 1 update, 2 positions) and 3 interventions.
    assert len(response.context["timeline"]) == events + updates + positions + 4 + 3


def test_the_person_page_makes_a_fixed_number_of_queries(client, editor, django_assert_num_queries):
    case = build_kursk_case()
    person = case.subjects.first().person
    signed_in(client, editor)
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        client.get(person.get_absolute_url())
    grow_case(case, events=30, updates=3, positions=0)
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        client.get(person.get_absolute_url())
