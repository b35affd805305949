"""In the admin, a request's story and a government's statements are listed read-only
with each date as written ("Q4 2025": one column, not a date and its precision), and
new rows are added below them, through the services, as before."""

from __future__ import annotations

import datetime
import re

import pytest

from casework.models import PositionStatement
from casework.services import position_record, request_update_status
from tests import factories


def group(page: str, prefix: str) -> str:
    """The HTML of one inline (its ``<div ... id="<prefix>-group">``) up to the next one."""
    start = page.index(f'id="{prefix}-group"')
    following = re.search(r'id="[\w-]+-group"', page[start + 10 :])
    return page[start : start + 10 + following.start()] if following else page[start:]


@pytest.fixture
def transfer(open_case):
    request = factories.StatedRequestFactory(case=open_case, summary="Transfer to South Korea")
    request_update_status(
        request=request, status="stalled", occurred_on=datetime.date(2025, 10, 20), occurred_on_precision="quarter"
    )
    return request


def test_a_requests_story_shows_each_date_as_written_in_one_column(client, alice, transfer):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    page = client.get(f"/admin/casework/statedrequest/{transfer.pk}/change/").content.decode()
    story = group(page, "updates_shown")
    assert "Q4 2025" in story
    assert "precision" not in story.lower() and "2025-10-01" not in story
    # New rows: the date and its precision, to be chosen.
    assert 'name="updates-__prefix__-occurred_on_precision"' in group(page, "updates")


def test_a_governments_statements_show_each_date_as_written(client, alice, open_case):
    alice.is_staff = True
    alice.save()
    involvement = factories.InvolvementFactory(case=open_case)
    position_record(
        involvement=involvement, stance="conditional", stated_on=datetime.date(2025, 11, 1), stated_on_precision="month"
    )
    client.force_login(alice)
    page = client.get(f"/admin/casework/involvement/{involvement.pk}/change/").content.decode()
    shown = group(page, "statements_shown")
    assert "November 2025" in shown and "precision" not in shown.lower()
    # And a new statement is still recorded through the service, under its usual prefix.
    data = {
        "case": open_case.pk,
        "government": involvement.government_id,
        "role": involvement.role,
        "notes": "",
        "statements-TOTAL_FORMS": "1",
        "statements-INITIAL_FORMS": "0",
        "statements-0-stated_on": "2025-11-20",
        "statements-0-stated_on_precision": "day",
        "statements-0-stance": "supports",
    }
    response = client.post(f"/admin/casework/involvement/{involvement.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PositionStatement.objects.filter(involvement=involvement).count() == 2
