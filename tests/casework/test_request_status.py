"""A request's status changes only by adding an update, through one service."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from casework.models import RequestStatus, RequestUpdate
from casework.services import request_update_status
from tests import factories


@pytest.fixture
def transfer(db):
    return factories.StatedRequestFactory(
        category="transfer", summary="Transfer to South Korea", destination_country="KR"
    )


def test_recording_an_update_moves_the_status_and_tells_the_story(transfer, alice):
    update = request_update_status(
        request=transfer,
        status=RequestStatus.UNDER_VERIFICATION,
        occurred_on=datetime.date(2025, 3, 9),
        occurred_on_precision="month",
        note="Seoul asks for an interview",
        user=alice,
    )
    transfer.refresh_from_db()
    assert transfer.status == "under_verification"
    assert transfer.status_changed_at is not None
    assert (update.previous_status, update.status, update.recorded_by) == ("stated", "under_verification", alice)
    assert update.occurred_on == datetime.date(2025, 3, 1), "stored as the month"
    assert str(update.occurred) == "March 2025"


def test_the_same_status_again_is_a_reaffirmation(transfer):
    update = request_update_status(request=transfer, status="stated", occurred_on=datetime.date(2025, 10, 1))
    assert update.is_reaffirmation
    assert "reaffirmed" in str(update)


def test_updates_chain_from_one_status_to_the_next(transfer):
    request_update_status(request=transfer, status="under_verification", occurred_on=datetime.date(2025, 3, 1))
    request_update_status(request=transfer, status="stalled", occurred_on=datetime.date(2025, 10, 1))
    story = list(RequestUpdate.objects.filter(request=transfer).values_list("previous_status", "status"))
    assert story == [("stated", "under_verification"), ("under_verification", "stalled")]


def test_an_unknown_status_is_refused_and_nothing_changes(transfer):
    with pytest.raises(ValidationError) as error:
        request_update_status(request=transfer, status="approved", occurred_on=None)
    assert "status" in error.value.message_dict
    transfer.refresh_from_db()
    assert transfer.status == "stated"
    assert not RequestUpdate.objects.exists()


def test_an_inconsistent_date_is_refused_and_nothing_changes(transfer):
    with pytest.raises(ValidationError):
        request_update_status(
            request=transfer, status="stalled", occurred_on=datetime.date(2025, 1, 1), occurred_on_precision="sometime"
        )
    transfer.refresh_from_db()
    assert transfer.status == "stated"
    assert not RequestUpdate.objects.exists()


def test_the_status_is_not_an_editable_field_of_the_request():
    from casework.models import StatedRequest

    assert not StatedRequest._meta.get_field("status").editable
