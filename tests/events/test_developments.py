"""Recording a development: one piece of news, its source and everything it changes,
in one form (dashboard) or one call (API), in one transaction; nothing written when
any part is wrong; no risky defaults; no date in the future."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from casework.models import (
    FollowUp,
    PositionStatement,
    RequestCategory,
    RequestStatus,
    RequestUpdate,
    StatedRequest,
)
from core.history import history_of
from events.models import Event, Source
from tests import factories
from tests.api_fixtures import client_for
from tests.day_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_files")

TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def transfers(kursk):
    ri_transfer = kursk.requests.get(category=RequestCategory.TRANSFER)
    kim = kursk.subjects.get(person__display_name="Kim Song Il").person
    kim_transfer = factories.StatedRequestFactory(
        case=kursk,
        person=kim,
        category=RequestCategory.TRANSFER,
        summary="Transfer to South Korea",
        destination_country="KR",
    )
    return ri_transfer, kim_transfer


@pytest.fixture
def api_client_for():
    return client_for


def counts() -> tuple[int, ...]:
    return (
        Source.objects.count(),
        Event.objects.count(),
        PositionStatement.objects.count(),
        RequestUpdate.objects.count(),
        FollowUp.objects.count(),
    )


def the_news(case, transfers, *, update_date="2025-11-20") -> dict:
    """The news item of issue 11, as the dashboard form posts it."""
    ukraine = case.involvements.get(government__name="Ukraine")
    people = [t.person_id for t in transfers]
    return {
        "new_source_title": "Ukraine ready to discuss transfer of North Korean POWs",
        "new_source_kind": "news_report",
        "new_source_publisher": "Yonhap",
        "new_source_url": "https://en.yna.co.kr/view/AEN20251120",
        "new_source_published_on": "2025-11-20",
        "new_source_published_on_precision": "day",
        "new_source_language": "en",
        "new_source_reliability": "B",
        "event-kind": "government_statement",
        "event-title": "Ukraine ready to discuss the transfer",
        "event-occurred_on": "2025-11-20",
        "event-occurred_on_precision": "day",
        "event-people": people,
        "event-governments": [ukraine.government_id],
        "position-involvement": ukraine.pk,
        "position-requests": [t.pk for t in transfers],
        "position-stance": "conditional",
        "position-stated_on": "2025-11-20",
        "position-stated_on_precision": "day",
        "position-condition": "If the ICRC confirms their free will",
        "updates-requests": [t.pk for t in transfers],
        "updates-status": "under_verification",
        "updates-occurred_on": update_date,
        "updates-occurred_on_precision": "day",
        "follow_up-title": "Ask the ICRC whether it was asked to verify",
        "follow_up-due_on": "2025-12-01",
    }


def test_one_form_records_the_whole_news_item(client, erin, kursk, transfers):
    client.force_login(erin)
    url = reverse("development_create", args=[kursk.reference])
    response = client.post(url, the_news(kursk, transfers), follow=True)
    assert response.status_code == 200, response.content[:2000]
    source = Source.objects.get(publisher="Yonhap")
    assert (source.published_on, source.language) == (datetime.date(2025, 11, 20), "en")
    event = Event.objects.get(title="Ukraine ready to discuss the transfer")
    assert list(event.citations.values_list("source", flat=True)) == [source.pk]
    assert set(event.people.values_list("pk", flat=True)) == {t.person_id for t in transfers}
    positions = list(PositionStatement.objects.filter(source=source))
    assert {p.request_id for p in positions} == {t.pk for t in transfers}
    assert len({p.statement_key for p in positions}) == 1 and positions[0].statement_key is not None
    for transfer in transfers:
        transfer.refresh_from_db()
        assert transfer.status == RequestStatus.UNDER_VERIFICATION
        assert transfer.last_moved_on == datetime.date(2025, 11, 20)
    assert FollowUp.objects.filter(case=kursk, title__startswith="Ask the ICRC").exists()
    # Named in the message: what, and for whom.
    message = str(next(iter(response.context["messages"])))
    assert "Ukraine: conditional on Kim Song Il, Ri Jong Chol (20 November 2025)" in message
    assert "under verification for Kim Song Il, Ri Jong Chol" in message
    # History: the channel it came through.
    assert {(e.pgh_context or {}).get("channel") for e in history_of(event)} == {"dashboard"}
    # The case page shows it.
    page = client.get(kursk.get_absolute_url()).content.decode()
    assert "Ukraine ready to discuss the transfer" in page


def test_a_future_date_is_refused_by_its_field_and_nothing_is_written(client, erin, kursk, transfers):
    client.force_login(erin)
    before = counts()
    url = reverse("development_create", args=[kursk.reference])
    response = client.post(url, the_news(kursk, transfers, update_date=TOMORROW))
    assert response.status_code == 400
    updates_form = response.context["forms"].parts["updates"]
    assert "in the future" in updates_form.errors["occurred_on"][0]
    assert counts() == before
    # What was typed is kept.
    assert "Ukraine ready to discuss the transfer" in response.content.decode()


def test_the_form_opens_with_nothing_chosen_for_the_user(client, erin, kursk):
    client.force_login(erin)
    response = client.get(reverse("development_create", args=[kursk.reference]))
    forms = response.context["forms"]
    for form in forms:
        for name in form.fields:
            assert form[name].value() in (None, "", []), (form.prefix, name)
    html = response.content.decode()
    assert "selected>North Korea" not in html and 'value="' + timezone.localdate().isoformat() not in html


def test_the_old_position_and_update_forms_have_no_preset_either(client, erin, kursk, transfers):
    client.force_login(erin)
    position = client.get(reverse("position_create", args=[kursk.reference])).context["form"]
    assert position["involvement"].value() is None and position["stance"].value() is None
    assert position["stated_on"].value() is None and not position["stated_on_precision"].value()
    update = client.get(reverse("request_update", args=[kursk.reference, transfers[0].pk])).context["form"]
    assert update["status"].value() is None and update["occurred_on"].value() is None


def test_a_viewer_may_not_record_a_development(client, victor, kursk, transfers):
    client.force_login(victor)
    url = reverse("development_create", args=[kursk.reference])
    assert client.post(url, the_news(kursk, transfers)).status_code == 403


# ------------------------------------------------------------------ the API


def api_news(case, transfers, **overrides) -> dict:
    ukraine = case.involvements.get(government__name="Ukraine")
    body = {
        "new_source": {
            "title": "Ukraine ready to discuss transfer of North Korean POWs",
            "kind": "news_report",
            "publisher": "Yonhap",
            "url": "https://en.yna.co.kr/view/AEN20251120",
            "published_on": "2025-11-20",
            "published_on_precision": "day",
            "language": "en",
        },
        "event": {
            "kind": "government_statement",
            "title": "Ukraine ready to discuss the transfer",
            "occurred_on": "2025-11-20",
            "occurred_on_precision": "day",
            "governments": [ukraine.government_id],
        },
        "position": {
            "involvement": ukraine.pk,
            "requests": [t.pk for t in transfers],
            "stance": "conditional",
            "stated_on": "2025-11-20",
            "stated_on_precision": "day",
            "condition": "If the ICRC confirms their free will",
        },
        "updates": {
            "requests": [t.pk for t in transfers],
            "status": "under_verification",
            "occurred_on": "2025-11-20",
            "occurred_on_precision": "day",
        },
        "follow_up": {"title": "Ask the ICRC", "due_on": "2025-12-01"},
    }
    body.update(overrides)
    return body


def test_one_api_call_records_the_news_item_by_reference(api_client_for, erin, kursk, transfers):
    api = api_client_for(erin)
    response = api.post(f"/api/v1/cases/{kursk.reference}/developments/", api_news(kursk, transfers))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["positions"]) == 2 and len(body["updates"]) == 2
    assert body["source"]["published_on_display"] == "20 November 2025"
    event = Event.objects.get(pk=body["event"]["id"])
    assert {(e.pgh_context or {}).get("channel") for e in history_of(event)} == {"api"}


def test_the_api_names_each_wrong_field_by_part_and_writes_nothing(api_client_for, erin, kursk, transfers):
    api = api_client_for(erin)
    before = counts()
    news = api_news(kursk, transfers)
    news["updates"]["occurred_on"] = TOMORROW
    del news["event"]["occurred_on_precision"]
    response = api.post(f"/api/v1/cases/{kursk.pk}/developments/", news)
    assert response.status_code == 400
    assert "occurred_on_precision" in response.json()["event"]
    news["event"]["occurred_on_precision"] = "day"
    response = api.post(f"/api/v1/cases/{kursk.pk}/developments/", news)
    assert response.status_code == 400
    assert "in the future" in response.json()["updates"]["occurred_on"][0]
    assert counts() == before


def test_a_request_of_another_case_is_refused(api_client_for, erin, kursk, transfers, open_case):
    other = factories.StatedRequestFactory(case=open_case)
    api = api_client_for(erin)
    news = api_news(kursk, transfers)
    news["updates"]["requests"] = [other.pk]
    response = api.post(f"/api/v1/cases/{kursk.pk}/developments/", news)
    assert response.status_code == 400 and "requests" in response.json()["updates"]


# ---------------------------------------------------------- dates and last movement


def test_the_database_refuses_a_future_date_whatever_writes_it(kursk):
    request = kursk.requests.first()
    far = timezone.localdate() + datetime.timedelta(days=400)
    with pytest.raises(IntegrityError), transaction.atomic():
        RequestUpdate.objects.create(request=request, previous_status="stated", status="stated", occurred_on=far)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(case=kursk).update(occurred_on=far, occurred_on_precision="day")


def test_deleting_an_update_moves_last_moved_on_back(erin, kursk):
    from casework.services import request_update_status

    request = StatedRequest.objects.filter(case=kursk).first()
    request_update_status(request=request, status="verified", occurred_on=datetime.date(2025, 3, 1), user=erin)
    late = request_update_status(
        request=request, status="in_progress", occurred_on=datetime.date(2025, 10, 1), user=erin
    )
    request.refresh_from_db()
    assert request.last_moved_on == datetime.date(2025, 10, 1)
    late.delete()
    request.refresh_from_db()
    assert request.last_moved_on == datetime.date(2025, 3, 1)
    # Even by hand in SQL: the database keeps it.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM casework_requestupdate WHERE request_id = %s", [request.pk])
    request.refresh_from_db()
    assert request.last_moved_on != datetime.date(2025, 3, 1)
