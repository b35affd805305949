"""Every response that shows content of a restricted case is logged, once per
request and case, by one mechanism (issue 10, finding 10): API lists and
details of every resource, the dashboard's pages, the admin's lists and pages.

Alice leads the restricted case (an editor, with sensitive details); Olivia is
an outsider.
"""

from __future__ import annotations

import pytest

from casework.models import CaseView
from tests import factories
from tests.api_fixtures import client_for


@pytest.fixture
def filled(restricted_case, open_case):
    person = factories.PersonFactory(display_name="Ivan")
    factories.CaseSubjectFactory(case=restricted_case, person=person)
    factories.CaseNoteFactory(case=restricted_case, body="note")
    factories.StatedRequestFactory(case=restricted_case, person=person)
    factories.EventFactory(case=restricted_case, title="visit")
    factories.CaseNoteFactory(case=open_case, body="open note")
    return {"person": person}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/?confidentiality=restricted",
        "/api/v1/notes/?case={case}",
        "/api/v1/requests/?case={case}",
        "/api/v1/events/?case={case}",
        "/api/v1/people/{person}/",
        "/api/v1/people/",
        "/api/v1/cases/{case}/",
        "/api/v1/cases/{case}/timeline/",
    ],
)
def test_each_api_response_showing_a_restricted_case_is_logged_once(path, filled, alice, restricted_case):
    url = path.format(case=restricted_case.pk, person=filled["person"].pk)
    response = client_for(alice).get(url)
    assert response.status_code == 200
    views = list(CaseView.objects.values_list("case_id", "username", "channel"))
    assert views == [(restricted_case.pk, "alice", "api")], url


@pytest.mark.parametrize("path", ["/people/{person}/", "/people/?q=Ivan", "/cases/{reference}/", "/"])
def test_each_dashboard_page_showing_a_restricted_case_is_logged_once(path, filled, alice, restricted_case, client):
    client.force_login(alice)
    url = path.format(reference=restricted_case.reference, person=filled["person"].pk)
    assert client.get(url).status_code == 200
    assert list(CaseView.objects.values_list("case_id", "channel")) == [(restricted_case.pk, "dashboard")], url


@pytest.mark.parametrize("path", ["/admin/casework/casenote/", "/admin/people/person/{person}/change/"])
def test_each_admin_page_showing_a_restricted_case_is_logged_once(path, filled, alice, restricted_case, client):
    client.force_login(alice)
    assert client.get(path.format(person=filled["person"].pk)).status_code == 200
    assert list(CaseView.objects.values_list("case_id", "channel")) == [(restricted_case.pk, "admin")]


def test_what_shows_only_open_cases_is_not_logged(filled, open_case, alice, olivia):
    assert client_for(alice).get(f"/api/v1/notes/?case={open_case.pk}").status_code == 200
    assert client_for(olivia).get("/api/v1/notes/").status_code == 200
    assert not CaseView.objects.exists()


def test_a_source_shown_with_its_citation_logs_the_citations_case_only(alice, restricted_case):
    """Events listed with their sources: the report they cite is also cited in another
    restricted case Alice may see, whose content the list does not show: not logged.
    The sources list itself still logs every case a source is cited in."""
    report = factories.SourceFactory(title="Report")
    factories.CitationFactory(event=factories.EventFactory(case=restricted_case), source=report)
    other = factories.RestrictedCaseFactory(lead=alice)
    factories.CitationFactory(event=factories.EventFactory(case=other), source=report)
    client = client_for(alice)
    assert client.get(f"/api/v1/events/?case={restricted_case.pk}").status_code == 200
    assert list(CaseView.objects.values_list("case_id", flat=True)) == [restricted_case.pk]
    assert client.get("/api/v1/sources/").status_code == 200
    listed = CaseView.objects.filter(what="list").exclude(pk=CaseView.objects.order_by("pk").first().pk)
    assert sorted(listed.values_list("case_id", flat=True)) == sorted([restricted_case.pk, other.pk])
