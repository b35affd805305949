"""The dashboard's case page and person page, and who sees what on them (sign-in, home
and the cases list: tests/dashboard/test_dashboard_pages.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casework.models import CaseView, GovernmentRole, RequestCategory, Stance
from casework.services import position_record
from core.bin import bin_move
from people.models import IdentifierKind
from tests import factories
from tests.dashboard_data import grant
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_storage")


# -------------------------------------------------------------------- case page


def test_the_case_page_shows_both_detainees_with_every_spelling_of_their_names(client, editor, kursk_case):
    client.force_login(editor)
    text = client.get(kursk_case.get_absolute_url()).content.decode()
    assert kursk_case.reference in text
    for name in ("Ri Jong Chol", "리정철", "Ри Чон Чхоль", "Lee Jung-chul", "Kim Song Il", "김성일"):
        assert name in text
    assert "near Kyiv" in text
    assert "life at risk" not in text  # the risk assessment is a sensitive detail, and Erin may not see those


def test_the_case_page_tells_each_requests_story(client, editor, kursk_case):
    client.force_login(editor)
    text = client.get(kursk_case.get_absolute_url()).content.decode()
    assert "stated → <strong>stalled</strong>: No official agreement reached." in text


def test_the_position_matrix_has_every_government_and_the_latest_stance_per_request(client, editor, kursk_case):
    receiving = kursk_case.involvements.get(role=GovernmentRole.RECEIVING_STATE)
    transfer = kursk_case.requests.get(category=RequestCategory.TRANSFER)
    position_record(
        involvement=receiving, request=transfer, stance=Stance.NO_RESPONSE, stated_on=datetime.date(2024, 12, 1)
    )  # older: not the latest
    client.force_login(editor)
    matrix = client.get(kursk_case.get_absolute_url()).context["matrix"]
    assert [str(i.government) for i in matrix.involvements] == ["Russia", "Ukraine", "South Korea", "North Korea"]
    transfer_row = next(row for row in matrix.rows if row.request == transfer)
    stances = {
        str(cell.involvement.government): cell.statement and cell.statement.stance for cell in transfer_row.cells
    }
    assert stances == {"Russia": None, "Ukraine": None, "South Korea": "conditional", "North Korea": None}
    case_row = matrix.rows[0]
    assert case_row.request is None
    assert [cell.statement and cell.statement.stance for cell in case_row.cells][1] == "asks_for_information"


def test_the_timeline_is_in_date_order_with_precision_and_sources(client, editor, kursk_case):
    client.force_login(editor)
    response = client.get(kursk_case.get_absolute_url())
    timeline = response.context["timeline"]
    assert [str(entry.date) for entry in timeline] == ["January 2025", "10 February 2025", "March 2025", "March 2025"]
    text = response.content.decode()
    assert "reliability B" in text
    assert "confirmed" in text
    assert "Zelenskyy revealed" in text


def test_sensitive_entries_and_details_are_shown_only_to_those_allowed(client, editor, kursk_case):
    client.force_login(editor)
    text = client.get(kursk_case.get_absolute_url()).content.decode()
    assert "Both attempted self-harm" not in text
    assert "Attempted self-harm." not in text
    assert "Sensitive entries are not shown to you." in text
    allowed = grant(editor, "people.view_sensitive")
    client.force_login(allowed)
    text = client.get(kursk_case.get_absolute_url()).content.decode()
    assert "Both attempted self-harm" in text
    assert "Attempted self-harm." in text
    assert "badge--sensitive" in text


def test_an_outsider_gets_404_on_a_restricted_case(client, olivia, restricted_case):
    grant(olivia, "add", "change", "view")
    client.force_login(olivia)
    assert client.get(restricted_case.get_absolute_url()).status_code == 404


def test_the_team_sees_its_restricted_case(client, bob, restricted_case):
    client.force_login(bob)
    response = client.get(restricted_case.get_absolute_url())
    assert response.status_code == 200
    assert "restricted: team only" in response.content.decode()


def test_a_viewer_sees_no_edit_controls(client, viewer, kursk_case):
    client.force_login(viewer)
    text = client.get(kursk_case.get_absolute_url()).content.decode()
    for control in (
        "Add an event",
        "Record update",
        "Record a position",
        "Add note",
        "Add a follow-up",
        '<form method="post" action="/cases/',
    ):
        assert control not in text


def test_an_editor_sees_the_quick_actions_and_edit_in_admin_links(client, editor, kursk_case):
    client.force_login(editor)
    text = client.get(kursk_case.get_absolute_url()).content.decode()
    for control in ("Add an event", "Record update", "Record a position", "Add note", "Add a follow-up"):
        assert control in text
    assert f'href="{reverse("admin:casework_case_change", args=[kursk_case.pk])}"' in text
    transfer = kursk_case.requests.get(category=RequestCategory.TRANSFER)
    assert f'href="{reverse("admin:casework_statedrequest_change", args=[transfer.pk])}"' in text


def test_each_view_of_a_restricted_case_page_is_logged_and_no_other(client, bob, olivia, restricted_case, open_case):
    client.force_login(bob)
    client.get(restricted_case.get_absolute_url(), REMOTE_ADDR="203.0.113.9")
    client.get(open_case.get_absolute_url())
    client.force_login(olivia)
    assert client.get(restricted_case.get_absolute_url()).status_code == 404
    view = CaseView.objects.get()
    assert (view.case, view.username, view.channel, view.what, view.ip_address) == (
        restricted_case,
        "bob",
        "dashboard",
        "page",
        "203.0.113.9",
    )


def test_the_case_page_has_a_print_stylesheet(client, editor, kursk_case):
    client.force_login(editor)
    text = client.get(kursk_case.get_absolute_url()).content.decode()
    assert "vigil/vigil.css" in text
    from django.contrib.staticfiles import finders

    with open(finders.find("vigil/vigil.css"), encoding="utf-8") as css:
        assert "@media print" in css.read()


# ------------------------------------------------------------------ person page


def test_the_person_page_shows_names_identifiers_detentions_cases_requests_and_events(client, editor, kursk_case):
    ri = kursk_case.subjects.get(person__display_name="Ri Jong Chol").person
    factories.PersonIdentifierFactory(person=ri, kind=IdentifierKind.ICRC, value="ICRC-UA-0042")
    factories.PersonIdentifierFactory(person=ri, kind=IdentifierKind.SERVICE_NUMBER, value="KPA-77-123")
    client.force_login(editor)
    text = client.get(ri.get_absolute_url()).content.decode()
    for expected in (
        "Ri Jong Chol",
        "Ри Чон Чхоль",
        "ICRC-UA-0042",
        "near Kyiv",
        kursk_case.reference,
        "Transfer to South Korea",
        "Captured in the Kursk region",
    ):
        assert expected in text
    assert "KPA-77-123" not in text  # a GC III detail: sensitive
    assert "Both attempted self-harm" not in text


def test_an_outsider_gets_404_on_a_person_in_a_restricted_case(client, olivia, restricted_case):
    person = factories.CaseSubjectFactory(case=restricted_case).person
    client.force_login(olivia)
    assert client.get(person.get_absolute_url()).status_code == 404


def test_people_are_found_by_any_spelling_of_their_name(client, editor, kursk_case):
    client.force_login(editor)
    for query in ("리정철", "Ri Jong Chol"):
        people = client.get(reverse("person_search"), {"q": query}).context["people"]
        assert "Ri Jong Chol" in [p.display_name for p in people], query


def test_people_search_never_finds_someone_in_a_restricted_case(client, olivia, restricted_case):
    factories.CaseSubjectFactory(case=restricted_case, person=factories.PersonFactory(display_name="Secret Person"))
    client.force_login(olivia)
    assert list(client.get(reverse("person_search"), {"q": "Secret Person"}).context["people"]) == []


def test_what_is_in_the_bin_is_gone_from_every_page(client, editor, kursk_case, sam):
    transfer = kursk_case.requests.get(category=RequestCategory.TRANSFER)
    kim = kursk_case.subjects.get(person__display_name="Kim Song Il").person
    bin_move(transfer, user=sam)
    bin_move(kim, user=sam)
    client.force_login(editor)
    home = client.get(reverse("home")).context
    assert transfer.pk not in [r.pk for r in home["stalled_requests"]]
    assert home["conditional_positions"] == []
    assert ("in_detention", "in detention", 1) in home["detainee_counts"]
    (listed,) = client.get(reverse("case_list")).context["cases"]
    assert listed.open_request_count == 0  # Kim's medicine went with him
    assert [s.person.display_name for s in listed.detainees] == ["Ri Jong Chol"]
    page = client.get(kursk_case.get_absolute_url())
    assert [r.pk for r in page.context["requests"]] == []
    assert [s.person.display_name for s in page.context["subjects"]] == ["Ri Jong Chol"]
    assert client.get(reverse("request_update", args=[kursk_case.reference, transfer.pk])).status_code == 404
    assert client.get(kim.get_absolute_url()).status_code == 404
