"""Queries per request as a deployment with Redis sends them: at most 6 on a read, whatever its size.

Counted as ``make bench`` counts (bench/run.py): statements only, not the
request's savepoints. The cache here is local memory and sessions are
``cached_db`` over it, which is what ``REDIS_URL`` gives (config/settings/base.py):
the session, the throttle's count and the home page's overview cost no query.
Without Redis each adds its statements (tests/dashboard/test_dashboard_queries.py
and tests/core/test_api_queries.py count those). The table in docs/scaling.md
names every query counted here.

Every signed-in page: the user, with their permissions and preferences (one
query: core.backends.VigilModelBackend.get_user); the header's unread count
(watch.context_processors); the view log's one statement when the page shows
case records (casework.view_log). A token request: the token with its user and
permissions (core.api.authentication); the view log.
"""

from __future__ import annotations

import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.middleware import SessionAbsoluteTimeoutMiddleware
from tests import factories
from tests.api_fixtures import client_for
from tests.dashboard.test_dashboard_queries import grow_case
from tests.dashboard_data import build_kursk_case
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_storage", "as_with_redis")

# bench/run.py's rule: pghistory's context may ride on a savepoint's statement.
SAVEPOINTS = re.compile(
    r"^\s*(SELECT set_config\('pghistory\.context_id'.*?;\s*)?(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b",
    re.IGNORECASE | re.DOTALL,
)
READ_BUDGET = 6  # issue 16: queries per request on every read
WRITE_BUDGET = 8  # issue 16: an event with a citation, a request update


@pytest.fixture
def as_with_redis(settings, db):
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    ContentType.objects.get_for_models(*apps.get_models())  # read once per process


def counted(client, path, params=None, *, method="get", **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, params or {}, **extra)
    assert response.status_code in (200, 201), response.content[:500]
    statements = [q["sql"] for q in queries if not SAVEPOINTS.match(q["sql"])]
    return len(statements), response


def signed_in(client, user):
    client.force_login(user)
    session = client.session
    session[SessionAbsoluteTimeoutMiddleware.KEY] = session[SessionAbsoluteTimeoutMiddleware.RENEWED] = time.time()
    session.save()
    return client


def test_the_home_page_reads_its_overview_from_the_cache_in_six_queries(client, editor):
    """The user; the access generation (the overview's cache key); my follow-ups; the people at
    risk now; the unread count; the view log."""
    case = build_kursk_case(lead=editor)
    signed_in(client, editor)
    client.get(reverse("home"))  # the overview computed and cached
    small, _ = counted(client, reverse("home"))
    grow_case(case, events=20, updates=6, positions=3)
    for _ in range(5):
        factories.FollowUpFactory(case=case, assignee=editor)
    client.get(reverse("home"), {"fresh": "1"})
    large, _ = counted(client, reverse("home"))
    assert small == large == 6


def test_the_cases_list_costs_six_queries_for_one_case_or_a_full_page(client, editor):
    """The user; the count (pagination); the page (with lead, open-request count); their
    detainees; the unread count; the view log."""
    build_kursk_case()
    signed_in(client, editor)
    small, _ = counted(client, reverse("case_list"))
    for _ in range(30):
        factories.CaseSubjectFactory(case=factories.CaseFactory(status="active"))
    large, response = counted(client, reverse("case_list"))
    assert len(response.context["cases"]) == 25
    assert small == large == 6 <= READ_BUDGET


def test_the_people_search_costs_six_queries_for_one_match_or_a_full_page(client, editor):
    """The user; the count (capped); the page, best match first; their names; the unread count;
    the view log."""
    case = build_kursk_case()
    signed_in(client, editor)
    small, response = counted(client, "/people/", {"q": "Ri"})
    assert len(response.context["people"]) >= 1
    for _ in range(60):
        factories.CaseSubjectFactory(case=case, person__display_name="Ri Jong Chol")
    large, response = counted(client, "/people/", {"q": "Ri"})
    assert len(response.context["people"]) == 50
    assert small == large == 6 <= READ_BUDGET


# The person and case pages show several kinds of rows, each one prefetch: beyond 6, but the
# same for a case of one entry and of hundreds (docs/scaling.md says which query is which).
PERSON_PAGE = 11  # the user; the person; names; identifiers; detentions; cases; requests; events;
# the unread count; the follow button; the view log
CASE_PAGE = 32  # the user; the case; then dashboard.selectors.case_page's 24 and the template
# tags' 5 (follow button, files twice, translations of requests and notes... see docs/scaling.md);
# the unread count; the view log


def test_the_person_page_costs_the_same_for_one_case_or_many(client, editor):
    case = build_kursk_case()
    person = case.subjects.first().person
    signed_in(client, editor)
    small, _ = counted(client, person.get_absolute_url())
    grow_case(case, events=30, updates=3, positions=0)
    for _ in range(5):
        factories.CaseSubjectFactory(case=factories.CaseFactory(), person=person)
    large, _ = counted(client, person.get_absolute_url())
    assert small == large == PERSON_PAGE


@pytest.mark.parametrize(("events", "updates", "positions"), [(1, 1, 1), (150, 30, 20)], ids=["3", "200"])
def test_the_case_page_costs_the_same_for_one_entry_or_hundreds(client, editor, events, updates, positions):
    case = build_kursk_case(lead=editor)
    grow_case(case, events=events, updates=updates, positions=positions)
    signed_in(client, editor)
    queries, _ = counted(client, case.get_absolute_url(), {"timeline": "all"})
    assert queries == CASE_PAGE


# ---------------------------------------------------------------- the token API


def test_api_reads_cost_three_queries(editor):
    """The token with its user and permissions; the page (or the record); the view log."""
    case = build_kursk_case(lead=editor)
    grow_case(case, events=30, updates=3, positions=2)
    api = client_for(editor)
    for path, params in [
        ("/api/v1/cases/", {}),
        (f"/api/v1/cases/{case.pk}/", {}),
        ("/api/v1/events/", {"search": "report"}),
    ]:
        queries, _ = counted(api, path, params)
        assert queries == 3, path


def test_an_api_name_search_costs_at_most_six_queries(editor):
    """The token; the page; the people's names, identifiers, detentions; the view log."""
    case = build_kursk_case()
    for _ in range(60):
        person = factories.CaseSubjectFactory(case=case, person__display_name="Ri Jong Chol").person
        factories.DetentionFactory(person=person, authority=factories.GovernmentFactory())
    api = client_for(editor)
    queries, response = counted(api, "/api/v1/people/", {"search": "Ri Jong Chol"})
    assert len(response.json()["results"]) == 50
    assert queries <= READ_BUDGET


def test_api_writes_cost_at_most_eight_queries(editor):
    case = build_kursk_case(lead=editor)
    source = factories.SourceFactory()
    api = client_for(editor)
    event = {
        "case": case.pk,
        "occurred_on": "2025-02-17",
        "kind": "interview",
        "title": "Interview",
        "sources": [{"source": source.pk, "confidence": "probable"}],
    }
    queries, _ = counted(api, "/api/v1/events/", event, method="post", format="json")
    assert queries <= WRITE_BUDGET
    stated = factories.StatedRequestFactory(case=case)
    update = {"request": stated.pk, "status": "in_progress", "occurred_on": "2025-03-02", "source": source.pk}
    queries, _ = counted(api, "/api/v1/request-updates/", update, method="post", format="json")
    assert queries <= WRITE_BUDGET
