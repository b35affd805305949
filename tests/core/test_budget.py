"""A query given a time budget is cancelled when it runs over; the request
goes on, and the home page says which figure it left out."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from casework import selectors
from core.budget import QueryCanceled, statement_budget
from tests.dashboard_data import build_kursk_case
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)


def _sleep(seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])


@pytest.mark.django_db
def test_a_query_over_its_budget_is_cancelled_and_the_transaction_goes_on(settings):
    with pytest.raises(QueryCanceled), statement_budget(0.05):
        _sleep(1)
    with connection.cursor() as cursor:  # the transaction is usable, and its own limit is back
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.DATABASE_STATEMENT_TIMEOUT}s"
    with statement_budget(2):
        _sleep(0.01)  # within its budget: no error


@pytest.mark.django_db
@pytest.mark.usefixtures("static_storage")
def test_the_home_page_leaves_out_a_figure_that_takes_too_long(client, editor, monkeypatch, settings):
    settings.VIGIL_HOME_SECTION_SECONDS = 0.05
    build_kursk_case(lead=editor)

    def slow_stalled_requests(*, user, **kwargs):
        _sleep(1)
        return []

    monkeypatch.setattr(selectors, "stalled_requests", slow_stalled_requests)
    client.force_login(editor)
    response = client.get(reverse("home"), {"fresh": "1"})
    assert response.status_code == 200
    assert response.context["too_slow"] == {"stalled", "supplies"}  # both lists are stalled_requests()
    assert "Too many requests to sort here in time" in response.content.decode()
    assert response.context["open_case_count"] >= 1  # the other figures are there
