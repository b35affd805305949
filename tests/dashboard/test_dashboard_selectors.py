"""What the dashboard calls stalled, and the position matrix, as rules of their own."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from casework import selectors
from casework.models import PositionStatement as PositionStatementModel
from casework.models import RequestCategory, RequestStatus, Stance, StatedRequest
from casework.services import position_record, request_update_status
from casework.templatetags.dashboard import age, ago
from core.dates import FuzzyDate
from tests import factories

TODAY = datetime.date(2025, 12, 1)


def stalled(user, **kwargs):
    return [request.summary for request in selectors.stalled_requests(user=user, today=TODAY, **kwargs)]


@pytest.fixture
def request_stated(db):
    def make(summary, first_stated_on, **fields):
        fields.setdefault("category", RequestCategory.CONSULAR_ACCESS)  # not a minor (supplies) request
        return factories.StatedRequestFactory(
            summary=summary, first_stated_on=first_stated_on, first_stated_on_precision="day", **fields
        )

    return make


def test_a_request_never_updated_stalls_when_first_stated_more_than_30_days_ago(sam, request_stated):
    request_stated("Old", TODAY - datetime.timedelta(days=31))
    request_stated("Recent", TODAY - datetime.timedelta(days=30))
    assert stalled(sam) == ["Old"]


def test_a_request_marked_stalled_is_stalled_however_recent(sam, request_stated):
    request = request_stated("Transfer", TODAY)
    request_update_status(request=request, status=RequestStatus.STALLED, occurred_on=TODAY)
    assert stalled(sam) == ["Transfer"]


def test_movement_is_measured_from_the_latest_update_as_reported(sam, request_stated):
    moved = request_stated("Moved lately", TODAY - datetime.timedelta(days=200))
    request_update_status(
        request=moved, status=RequestStatus.IN_PROGRESS, occurred_on=TODAY - datetime.timedelta(days=5)
    )
    backfilled = request_stated("Backfilled", TODAY - datetime.timedelta(days=200))
    # Recorded today, but it happened in the spring: nothing has moved since.
    request_update_status(
        request=backfilled,
        status=RequestStatus.IN_PROGRESS,
        occurred_on=datetime.date(2025, 4, 1),
        occurred_on_precision="month",
    )
    (only,) = selectors.stalled_requests(user=sam, today=TODAY)
    assert only.summary == "Backfilled"
    assert only.last_moved_on == datetime.date(2025, 4, 1)
    assert only.idle_days == (TODAY - datetime.date(2025, 4, 1)).days
    # Known only to the month: its age is "about" so many months, and says since when as written.
    assert only.idle_approximate and str(only.moved) == "April 2025"


def test_an_update_of_unknown_date_counts_from_when_it_was_recorded(sam, request_stated):
    today = timezone.localdate()
    request = request_stated("Unknown date", today - datetime.timedelta(days=200))
    request_update_status(
        request=request, status=RequestStatus.IN_PROGRESS, occurred_on=None, occurred_on_precision="unknown"
    )
    assert selectors.stalled_requests(user=sam, today=today) == []
    (later,) = selectors.stalled_requests(user=sam, today=today + datetime.timedelta(days=31))
    assert later.last_moved_on == today


def test_supplies_never_stall_they_wait_apart(sam, request_stated):
    for category in (RequestCategory.MEDICINE, RequestCategory.READING):
        request_stated(f"Old {category}", TODAY - datetime.timedelta(days=90), category=category)
    assert stalled(sam) == []
    assert stalled(sam, supplies=True) == ["Old medicine", "Old reading"]


def test_settled_requests_never_stall(sam, request_stated):
    for status in (RequestStatus.GRANTED, RequestStatus.DENIED, RequestStatus.WITHDRAWN):
        request = request_stated(f"Settled {status}", TODAY - datetime.timedelta(days=300))
        request_update_status(request=request, status=status, occurred_on=TODAY - datetime.timedelta(days=100))
    assert stalled(sam) == []


def test_the_number_of_days_is_a_setting(sam, request_stated, settings):
    request_stated("Ten days idle", TODAY - datetime.timedelta(days=10))
    assert stalled(sam) == []
    settings.VIGIL_STALLED_AFTER_DAYS = 7
    assert stalled(sam) == ["Ten days idle"]


def test_stalled_requests_come_oldest_first_marked_stalled_first_among_equals(sam, request_stated):
    day = TODAY - datetime.timedelta(days=60)
    request_stated("Older", day - datetime.timedelta(days=1))
    request_stated("Idle", day)
    marked = request_stated("Marked", day)
    request_update_status(request=marked, status=RequestStatus.STALLED, occurred_on=day)
    assert stalled(sam) == ["Older", "Marked", "Idle"]


def test_stalled_requests_of_a_restricted_case_are_the_teams_alone(olivia, bob, restricted_case, request_stated):
    request_stated("Secret", TODAY - datetime.timedelta(days=90), case=restricted_case)
    assert stalled(olivia) == []
    assert stalled(bob) == ["Secret"]


def test_the_matrix_cell_is_the_latest_statement_of_that_government_on_that_request(db):
    involvement = factories.InvolvementFactory()
    request = factories.StatedRequestFactory(case=involvement.case)
    quiet = factories.StatedRequestFactory(case=involvement.case, summary="Books")
    position_record(
        involvement=involvement, request=request, stance=Stance.OPPOSES, stated_on=datetime.date(2025, 1, 5)
    )
    latest = position_record(
        involvement=involvement, request=request, stance=Stance.CONDITIONAL, stated_on=datetime.date(2025, 3, 5)
    )
    position_record(involvement=involvement, stance=Stance.SUPPORTS, stated_on=datetime.date(2025, 6, 5))  # on the case
    matrix = selectors.position_matrix(case=involvement.case, requests=[request, quiet])
    assert [row.request for row in matrix.rows] == [None, request]
    assert matrix.rows[1].cells[0].statement == latest
    assert matrix.silent == [quiet]


def test_conditional_positions_are_current_ones_only(sam):
    involvement = factories.InvolvementFactory()
    request = factories.StatedRequestFactory(case=involvement.case)
    position_record(
        involvement=involvement,
        request=request,
        stance=Stance.CONDITIONAL,
        condition="if",
        stated_on=datetime.date(2025, 1, 5),
    )
    assert len(selectors.conditional_positions(user=sam)) == 1
    position_record(
        involvement=involvement, request=request, stance=Stance.SUPPORTS, stated_on=datetime.date(2025, 2, 5)
    )
    assert selectors.conditional_positions(user=sam) == []


def test_ages_read_as_words_and_say_about_for_vague_dates():

    today = timezone.localdate()
    assert ago(today) == "today"
    assert ago(today - datetime.timedelta(days=3)) == "3 days ago"
    assert ago(today - datetime.timedelta(days=400)) == "13 months ago"
    assert ago(FuzzyDate(today - datetime.timedelta(days=400), "quarter")) == "about 13 months ago"
    assert ago(FuzzyDate(None, "unknown")) == "date unknown"
    assert age(45) == "6 weeks"


def test_last_moved_on_is_kept_by_the_database_on_every_path(sam, request_stated):
    """Stored so the home page can walk an index (request_last_moved_idx): the
    request's own dates until an update is added, then the latest update's."""
    request = request_stated("Kept", TODAY - datetime.timedelta(days=90))
    request.refresh_from_db()
    assert request.last_moved_on == TODAY - datetime.timedelta(days=90)  # first stated, never updated
    request_update_status(request=request, status=RequestStatus.IN_PROGRESS, occurred_on=datetime.date(2025, 4, 1))
    request_update_status(request=request, status=RequestStatus.STALLED, occurred_on=datetime.date(2025, 2, 1))
    request.refresh_from_db()
    assert request.last_moved_on == datetime.date(2025, 4, 1)  # the latest as reported, not the latest recorded
    StatedRequest.objects.filter(pk=request.pk).update(summary="Renamed")  # any write keeps it
    request.refresh_from_db()
    assert request.last_moved_on == datetime.date(2025, 4, 1)


def test_the_current_position_is_the_latest_by_date_then_by_recording(sam):
    """conditional_positions() reads "current" as LATEST_FIRST does: a dated statement is
    later than an undated one; on the same date, the one recorded later wins; the case
    as a whole and each request are separate subjects."""
    involvement = factories.InvolvementFactory()
    request = factories.StatedRequestFactory(case=involvement.case)
    day = datetime.date(2025, 1, 5)
    position_record(involvement=involvement, stance=Stance.CONDITIONAL, condition="if", stated_on=day)
    position_record(
        involvement=involvement, stance=Stance.SUPPORTS, stated_on=None, stated_on_precision="unknown"
    )  # undated: earlier than any dated statement
    position_record(involvement=involvement, request=request, stance=Stance.CONDITIONAL, condition="if", stated_on=day)
    assert {s.request_id for s in selectors.conditional_positions(user=sam)} == {None, request.pk}
    position_record(involvement=involvement, request=request, stance=Stance.OPPOSES, stated_on=day)  # recorded later
    assert [s.request_id for s in selectors.conditional_positions(user=sam)] == [None]
    assert [s.pk for s in selectors.conditional_positions(user=sam)] == [
        s.pk
        for s in selectors.latest_statements(statements=PositionStatementModel.objects.all())
        if s.stance == Stance.CONDITIONAL
    ]
