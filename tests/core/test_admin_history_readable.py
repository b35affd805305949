"""The admin's history pages read as an advocate reads (issue 11, section 6): field
labels, choice labels, linked records by name, dates with their precision, no
bookkeeping column; a case's history page shows the history of everything in it,
as the reader may see it."""

from __future__ import annotations

import datetime

import pytest

from casework import services
from casework.models import StatedRequest
from tests import factories


def history_page(client, user, obj) -> str:
    client.force_login(user)
    opts = obj._meta
    response = client.get(f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/history/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def transfer(restricted_case):
    person = factories.PersonFactory(display_name="Ri Jong Chol")
    factories.CaseSubjectFactory(case=restricted_case, person=person)
    return factories.StatedRequestFactory(
        case=restricted_case, person=person, category="transfer", summary="Transfer to South Korea"
    )


def test_a_requests_history_names_fields_and_choices_and_hides_bookkeeping(transfer, alice, client):
    services.request_update_status(
        request=transfer,
        status="under_verification",
        occurred_on=datetime.date(2025, 10, 1),
        occurred_on_precision="quarter",
        user=alice,
    )
    page = history_page(client, alice, StatedRequest.objects.get(pk=transfer.pk))
    assert "Under verification" in page or "under verification" in page
    assert "under_verification" not in page  # the stored value, not the label
    for internal in ("version", "status_changed_at", "Status changed at", "last_moved_on", "Last moved on"):
        assert internal not in page, internal
    assert ">Status</strong>" in page


def test_an_updates_date_shows_with_its_precision(transfer, alice, client):
    update = services.request_update_status(
        request=transfer, status="verified", occurred_on=datetime.date(2025, 11, 3), occurred_on_precision="quarter",
        user=alice,
    )  # fmt: skip
    page = history_page(client, alice, update)
    assert "Q4 2025" in page and "2025-10-01" not in page
    assert "Transfer to South Korea" in page  # the request by its name, not its id


@pytest.fixture
def everything(restricted_case, transfer, alice):
    """One of each part of a case, each recorded by triggers."""
    case = restricted_case
    government = factories.GovernmentFactory(name="South Korea")
    involvement = factories.InvolvementFactory(case=case, government=government)
    services.request_update_status(
        request=transfer, status="verified", occurred_on=datetime.date(2025, 2, 1), occurred_on_precision="month",
        user=alice,
    )  # fmt: skip
    factories.PositionStatementFactory(involvement=involvement, request=transfer, condition="If verified: ochre")
    factories.EventFactory(case=case, title="Captured in Kursk")
    factories.EventFactory(case=case, title="Self-harm: crimson", kind="welfare_incident")
    factories.CaseNoteFactory(case=case, body="Call the ministry: amber")
    factories.FollowUpFactory(case=case, title="Ask the ICRC: teal")
    factories.DetentionFactory(person=transfer.person, facility="Camp violet")
    return case


def test_a_cases_history_shows_everything_in_it(everything, alice, client):
    page = history_page(client, alice, everything)
    for part in (
        "Person in the case",
        "Ri Jong Chol",
        "Transfer to South Korea",
        "Request update",
        "February 2025",
        "ochre",
        "Captured in Kursk",
        "amber",
        "teal",
        "Camp violet",
    ):
        assert part in page, part


def test_a_cases_history_applies_the_sensitive_rule(everything, alice, sam, client):
    assert "crimson" not in history_page(client, alice, everything)  # an editor without view_sensitive
    assert "crimson" in history_page(client, sam, everything)


def test_a_cases_history_is_a_404_outside_its_team(everything, olivia, client):
    client.force_login(olivia)
    assert client.get(f"/admin/casework/case/{everything.pk}/history/").status_code == 404


def test_a_cases_history_keeps_what_was_deleted_for_good(everything, alice, client):
    note = everything.notes.get()
    note.delete()
    page = history_page(client, alice, everything)
    assert "amber" in page and "deleted" in page


# ------------------------------------------------------------------ dates and the index


def test_changelists_show_reported_dates_with_their_precision(everything, alice, client):
    client.force_login(alice)
    page = client.get("/admin/casework/requestupdate/").content.decode()
    assert "February 2025" in page and "2025-02-01" not in page and "Feb. 1, 2025" not in page
    page = client.get("/admin/casework/statedrequest/").content.decode()
    assert "First stated on" in page and "First stated on precision" not in page


def test_a_read_only_page_shows_a_reported_date_with_its_precision(everything, alice, client):
    client.force_login(alice)
    update = everything.requests.get().updates.get()
    page = client.get(f"/admin/casework/requestupdate/{update.pk}/change/").content.decode()
    assert "February 2025" in page and "Feb. 1, 2025" not in page


def test_the_admin_index_puts_the_daily_work_apart_from_system_records_with_no_name_twice(sam, client):
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = sam
    groups = admin.site.get_app_list(request)
    assert [group["name"] for group in groups] == ["Casework", "Parts of cases", "System records"]
    daily = [entry["name"] for entry in groups[0]["models"]]
    assert daily[:5] == ["Cases", "People", "Governments and organisations", "Sources", "Events"]
    system = {entry["name"] for entry in groups[2]["models"]}
    assert {"Access attempts", "TOTP devices", "Views of restricted cases", "Job failures", "Webhooks"} <= system
    names = [entry["name"].lower() for group in groups for entry in group["models"]]
    assert len(names) == len(set(names)), sorted(name for name in names if names.count(name) > 1)
    assert len(names) == len(admin.site._registry)  # every model has its place
    client.force_login(sam)
    page = client.get("/admin/").content.decode()
    page = page[page.index('id="content-main"') :]
    assert page.index("Casework") < page.index("Cases") < page.index("System records") < page.index("Access attempts")
