"""Query counts are part of the contract: each list makes the same number of
queries for a page of 1 and a page of 50.

Every request costs 4 queries before the list itself: the savepoint of the
request's transaction and its release (ATOMIC_REQUESTS, inside the test's
transaction), the token (with its user and the user's permissions, in one
query: core.api.authentication), and the user's throttle count (one statement
on its own table without Redis: core/api/throttling.py; none with Redis). Then a
numbered list costs its COUNT and its SELECT (a keyset or cursor list: cases,
people, events, has no COUNT), plus one query per prefetched relation; the
cases' team and people, a person's cases, and an event's people, governments,
citations, actors present and translations are arrays in the list's query.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import CaseView
from casework.services import request_update_status
from tests import factories
from tests.api_resources import RESOURCES, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_test_settings", "content_types_cached")]


@pytest.fixture
def content_types_cached(db):
    """A process reads each content type once and keeps it (the translations' prefetch names its
    record's type): the counts below are those of every later request."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_models(*apps.get_models())


THROTTLE = 1  # the count, one INSERT ... ON CONFLICT on vigil_throttle (core/api/throttling.py; none with Redis)
AUTH = 3 + THROTTLE  # savepoint + release; the token with its user and their permissions
# The view log (core.middleware.ViewLogMiddleware): which of the cases the page's rows belong to
# are restricted, one query; writing the log's rows is one more when there are some (not counted
# here: it depends on whether the page holds a restricted case's row, not on its size).
VIEW_LOG = 1
# Records keeping their original words (core.models.Translatable) carry their translations: one prefetch.
TRANSLATIONS = 1
EXPECTED = {
    "people": AUTH + 1 + 3 + VIEW_LOG,  # keyset page; names, identifiers, detentions (the cases are annotated)
    "person-names": AUTH + 2 + VIEW_LOG,
    "person-identifiers": AUTH + 2 + VIEW_LOG,
    "detentions": AUTH + 2 + VIEW_LOG,
    "cases": AUTH + 1 + VIEW_LOG,  # keyset page; team and subjects are annotated
    "case-subjects": AUTH + 2 + VIEW_LOG,
    "requests": AUTH + 2 + 1 + TRANSLATIONS + VIEW_LOG,  # updates
    "request-updates": AUTH + 2 + VIEW_LOG,
    "governments": AUTH + 2,  # not in any case: no view log
    "actors": AUTH + 2,  # not in any case: no view log
    "legal-arguments": AUTH + 2 + VIEW_LOG,
    "involvements": AUTH + 2 + VIEW_LOG,  # the current position is annotated, not queried per row
    "positions": AUTH + 2 + TRANSLATIONS + VIEW_LOG,
    "interventions": AUTH + 2 + VIEW_LOG,
    "notes": AUTH + 2 + TRANSLATIONS + VIEW_LOG,
    "follow-ups": AUTH + 2 + VIEW_LOG,
    # cursor page: no COUNT; the people, governments, citations, actors present and translations are
    # arrays in the page's query (core/api/folded.py)
    "events": AUTH + 1 + VIEW_LOG,
    "sources": AUTH + 2 + TRANSLATIONS + VIEW_LOG,
    "citations": AUTH + 2 + VIEW_LOG,
}


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len([query for query in queries if 'INSERT INTO "casework_caseview"' not in query["sql"]])


@pytest.mark.parametrize("resource", RESOURCES, ids=[r.path for r in RESOURCES])
def test_a_list_costs_the_same_queries_for_1_or_50_rows(resource, editor_api, open_case, restricted_case):
    for case in (open_case, restricted_case, factories.CaseFactory()):
        resource.make(case)
        resource.make(case)
    small = count_queries(editor_api, f"{url(resource)}?page_size=1")
    large = count_queries(editor_api, f"{url(resource)}?page_size=50")
    assert small == large == EXPECTED[resource.path]


def test_the_timeline_costs_the_same_queries_for_1_or_50_entries(editor_api, restricted_case):
    for _ in range(3):
        request_update_status(
            request=factories.StatedRequestFactory(case=restricted_case), status="stalled", occurred_on=None
        )
        factories.CitationFactory(event=factories.EventFactory(case=restricted_case))
        factories.PositionStatementFactory(involvement__case=restricted_case)
        factories.InterventionFactory(case=restricted_case)
    path = f"/api/v1/cases/{restricted_case.pk}/timeline/"
    small = count_queries(editor_api, f"{path}?page_size=1")
    large = count_queries(editor_api, f"{path}?page_size=50")
    # the case, the view log's lookup (its row not counted), and the page: its keys (one
    # ordered UNION ALL), then its entries built with their sources (events.timeline.rows)
    assert small == large == AUTH + 1 + VIEW_LOG + 2


def test_creating_an_event_with_a_citation_costs_a_fixed_number_of_queries(editor_api, restricted_case):
    """The token with its user and their permissions, the case and the source the body names (read
    through the access rule; the model's validation does not look them up again:
    core.api.serializers.full_clean_read), the event, its citation, and the view log's row
    (one INSERT … SELECT of the restricted cases shown): the date checks run in Python
    (core.dates.FuzzyDateCheck) and the answer reads nothing back (events.services.event_record).
    The throttle's count (in the database cache here, Redis in production) and savepoints
    are not counted."""
    source = factories.SourceFactory()
    body = {
        "case": restricted_case.pk,
        "occurred_on": "2025-02-17",
        "kind": "interview",
        "title": "Interview",
        "sources": [{"source": source.pk, "confidence": "probable"}],
    }
    with CaptureQueriesContext(connection) as queries:
        response = editor_api.post("/api/v1/events/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["citations"]
    real = written(queries)
    assert len(real) == 6, "\n".join(s[:90] for s in real)


def written(queries) -> list[str]:
    """The statements a write sent, without savepoints and the throttle's cache."""
    statements = [q["sql"].rsplit("; ", 1)[-1] for q in queries]  # pghistory's context rides on the statement
    return [
        sql
        for sql in statements
        if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
        and "vigil_throttle" not in sql
    ]


def test_recording_a_request_update_costs_a_fixed_number_of_queries(editor_api, restricted_case):
    """The token with its user and their permissions, the request and the source the body names (read
    through the access rule), the request locked (with its person, for the answer), the
    update, the request's new status (its trigger works out when it last moved, and the
    statement hands back that and the version: nothing read afterwards), the view log's row.
    Each check is still made: access, the row lock, history (triggers), the version."""
    stated = factories.StatedRequestFactory(case=restricted_case)
    source = factories.SourceFactory()
    body = {"request": stated.pk, "status": "in_progress", "occurred_on": "2025-03-02", "source": source.pk}
    with CaptureQueriesContext(connection) as queries:
        response = editor_api.post("/api/v1/request-updates/", body, format="json")
    assert response.status_code == 201, response.content
    real = written(queries)
    assert len(real) == 7, "\n".join(s[:90] for s in real)
    answer = response.json()
    assert (answer["previous_status"], answer["status"]) == ("stated", "in_progress")
    stated.refresh_from_db()
    # The version moved twice, as before: its status, then when it last moved (the update's trigger; backdated).
    assert (stated.status, stated.last_moved_on, stated.version) == ("in_progress", datetime.date(2025, 3, 2), 3)
    assert stated.updates.get().source == source
    assert CaseView.objects.filter(case=restricted_case, what="list").count() == 1  # the view log's row


# ---------------------------------------------------------------- writes (helper fastpages)
# The request update's UPDATE foresees what the update's trigger makes of last_moved_on
# (casework.services.MOVE_STATUS_SQL): whatever the dates, the answer and the row agree
# without a read after the writes.


@pytest.mark.parametrize(
    ("occurred_on", "version"),
    [(None, 2), ("today", 2), ("2025-03-02", 3)],
    ids=["date unknown", "dated today", "backdated"],
)
def test_a_request_update_answers_what_the_row_now_holds(editor_api, restricted_case, occurred_on, version):
    stated = factories.StatedRequestFactory(case=restricted_case)
    when = datetime.date.today().isoformat() if occurred_on == "today" else occurred_on
    body = {"request": stated.pk, "status": "in_progress", **({"occurred_on": when} if when else {})}
    with CaptureQueriesContext(connection) as queries:
        response = editor_api.post("/api/v1/request-updates/", body, format="json")
    assert response.status_code == 201, response.content
    assert len(written(queries)) <= 8
    stated.refresh_from_db()
    # Written once when the update's day is the day the status changed; twice when backdated.
    assert stated.version == version
    today_utc = datetime.datetime.now(datetime.UTC).date()  # an undated update counts the day it was recorded
    assert stated.last_moved_on == (datetime.date.fromisoformat(when) if when else today_utc)


def test_a_request_update_older_than_the_latest_leaves_when_it_last_moved(restricted_case, editor):
    stated = factories.StatedRequestFactory(case=restricted_case)
    request_update_status(request=stated, status="in_progress", occurred_on=datetime.date(2025, 3, 2), user=editor)
    request_update_status(request=stated, status="stalled", occurred_on=datetime.date(2025, 2, 1), user=editor)
    saved = type(stated).objects.get(pk=stated.pk)
    assert (stated.last_moved_on, stated.version) == (saved.last_moved_on, saved.version)
    assert saved.last_moved_on == datetime.date(2025, 3, 2)


def test_a_timeline_page_walks_each_kinds_index_and_stops(editor, restricted_case):
    """The page's keys are one ordered ``UNION ALL`` whose branches each take their own first
    entries (ORDER BY … LIMIT): events and interventions walk their (case, date, id) index and
    stop at the page's size, merged in order (Merge Append), so a page costs the same in a case of
    500 entries or of 100,000. Checked on the plan PostgreSQL makes when reading the table
    whole is not an option (the test's case is too small for the planner to prefer the index)."""
    from events.timeline.page import PageQuery

    for _ in range(3):
        factories.EventFactory(case=restricted_case)
        factories.InterventionFactory(case=restricted_case)
    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        PageQuery(2).keys(restricted_case, editor)
    sql, params = statements[-1]  # after the user's permissions, read once
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Merge Append" in plan, plan
    assert "event_case_sort_idx" in plan and "intervention_case_sort_idx" in plan, plan
