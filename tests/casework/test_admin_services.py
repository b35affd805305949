"""Recording a request's new status or a government's new position in the admin
goes through the same services as the API and the dashboard."""

import pytest

from casework.models import PositionStatement, RequestUpdate
from core.history import history_of
from tests import factories


def _management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


@pytest.fixture
def transfer(open_case):
    request = factories.StatedRequestFactory(
        case=open_case, category="transfer", summary="Transfer to South Korea", destination_country="KR"
    )
    factories.CaseSubjectFactory(case=open_case, person=request.person)  # who asks is in the case
    return request


def _request_form(request, **update):
    return {
        "case": request.case_id,
        "person": request.person_id,
        "category": request.category,
        "summary": request.summary,
        "words": "",
        "destination_country": request.destination_country,
        "first_stated_on": "2025-02-01",
        "first_stated_on_precision": "month",
        "channel": "",
        "freely_expressed": "unknown",
        **_management("updates", 1 if update else 0),
        **{f"updates-0-{key}": value for key, value in update.items()},
        **_management("positions", 0),
        **_management("legal_arguments", 0),
        **_management("core-texttranslation-content_type-object_id", 0),
    }


def _involvement_form(involvement, **statement):
    return {
        "case": involvement.case_id,
        "government": involvement.government_id,
        "role": "receiving_state",
        "notes": "",
        **_management("statements", 1),
        **{f"statements-0-{key}": value for key, value in statement.items()},
    }


def test_a_new_update_row_moves_the_status_through_the_service(transfer, client, alice):
    client.force_login(alice)
    response = client.post(
        f"/admin/casework/statedrequest/{transfer.pk}/change/",
        _request_form(
            transfer, occurred_on="2025-10-20", occurred_on_precision="quarter", status="stalled", note="No agreement"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    transfer.refresh_from_db()
    assert transfer.status == "stalled"
    update = RequestUpdate.objects.get(request=transfer)
    assert (update.previous_status, update.recorded_by, str(update.occurred)) == ("stated", alice, "Q4 2025")
    assert history_of(update).get().pgh_context["channel"] == "admin"


def test_an_invalid_update_row_is_shown_with_its_error_and_changes_nothing(transfer, client, alice):
    client.force_login(alice)
    response = client.post(
        f"/admin/casework/statedrequest/{transfer.pk}/change/",
        _request_form(transfer, occurred_on="not a date", occurred_on_precision="day", status="stalled"),
    )
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == "stated"
    assert not RequestUpdate.objects.exists()


def test_the_status_cannot_be_posted_directly(transfer, client, alice):
    client.force_login(alice)
    form = _request_form(transfer)
    form["status"] = "granted"
    assert client.post(f"/admin/casework/statedrequest/{transfer.pk}/change/", form).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "stated"


def test_a_new_statement_row_is_recorded_through_the_service(transfer, client, alice):
    seoul = factories.InvolvementFactory(case=transfer.case, government=factories.GovernmentFactory(name="South Korea"))
    client.force_login(alice)
    response = client.post(
        f"/admin/casework/involvement/{seoul.pk}/change/",
        _involvement_form(
            seoul,
            stated_on="2025-10-01",
            stated_on_precision="quarter",
            request=transfer.pk,
            stance="conditional",
            condition="If their intentions are verified.",
            condition_request=transfer.pk,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    statement = PositionStatement.objects.get()
    assert (statement.stance, statement.recorded_by, statement.request) == ("conditional", alice, transfer)
    assert seoul.current_position == statement


def test_a_statement_about_another_cases_request_is_refused(transfer, client, alice):
    seoul = factories.InvolvementFactory()
    client.force_login(alice)
    response = client.post(
        f"/admin/casework/involvement/{seoul.pk}/change/",
        _involvement_form(
            seoul, stated_on="2025-10-01", stated_on_precision="day", request=transfer.pk, stance="supports"
        ),
    )
    assert response.status_code == 200
    assert "This request belongs to another case." in response.content.decode()
    assert not PositionStatement.objects.exists()
