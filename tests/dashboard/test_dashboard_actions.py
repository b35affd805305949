"""Quick actions on the case page: each goes through the same service as admin and
API, refuses outsiders (404) and viewers (403), keeps what was typed when it is
wrong, and is recorded in history with channel "dashboard"."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from casework.models import CaseNote, FollowUp, PositionStatement, RequestCategory, RequestStatus, RequestUpdate
from core.history import history_of
from core.roles import EDITOR, VIEWER
from events.models import Citation, Event, Source
from tests import factories
from tests.dashboard_data import grant
from tests.dashboard_support import *  # noqa: F403 (its fixtures, for this module only)

pytestmark = pytest.mark.usefixtures("static_storage")


def channels(obj) -> set[str | None]:
    """The channels every recorded change of ``obj`` came through."""
    return {(event.pgh_context or {}).get("channel") for event in history_of(obj)}


@pytest.fixture
def transfer(kursk_case):
    return kursk_case.requests.get(category=RequestCategory.TRANSFER)


@pytest.fixture
def article(kursk_case):
    return Source.objects.get(title__startswith="North Korean POWs plead")


def action_urls(case, transfer, follow_up):
    """(url, valid POST data) for every quick action."""
    return [
        (reverse("event_create", args=[case.reference]), {"kind": "interview", "title": "x"}),
        (reverse("request_update", args=[case.reference, transfer.pk]), {"status": "verified"}),
        (reverse("position_create", args=[case.reference]), {"stance": "supports"}),
        (reverse("note_create", args=[case.reference]), {"body": "A note"}),
        (reverse("follow_up_create", args=[case.reference]), {"title": "Call", "due_on": "2025-05-01"}),
        (reverse("follow_up_complete", args=[case.reference, follow_up.pk]), {}),
    ]


def test_an_outsider_gets_404_from_every_action_on_a_restricted_case(client, olivia, restricted_case):
    olivia = grant(olivia, "add", "change", "view")
    request = factories.StatedRequestFactory(case=restricted_case)
    follow_up = factories.FollowUpFactory(case=restricted_case)
    client.force_login(olivia)
    for url, data in action_urls(restricted_case, request, follow_up):
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, data).status_code == 404, url
    assert not FollowUp.objects.filter(done_at__isnull=False).exists()


def test_a_viewer_is_refused_every_action_even_by_a_forged_post(client, viewer, kursk_case, transfer):
    follow_up = factories.FollowUpFactory(case=kursk_case)
    client.force_login(viewer)
    events_before, notes_before = Event.objects.count(), CaseNote.objects.count()
    for url, data in action_urls(kursk_case, transfer, follow_up):
        assert client.post(url, data).status_code == 403, url
    assert Event.objects.count() == events_before
    assert CaseNote.objects.count() == notes_before
    transfer.refresh_from_db()
    assert transfer.status == RequestStatus.STALLED
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_actions_send_a_stranger_to_sign_in(client, kursk_case, transfer):
    url = reverse("request_update", args=[kursk_case.reference, transfer.pk])
    response = client.post(url, {"status": "verified"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ------------------------------------------------------------- request update


def test_recording_a_request_update_moves_its_status_through_the_service(client, editor, kursk_case, transfer, article):
    client.force_login(editor)
    url = reverse("request_update", args=[kursk_case.reference, transfer.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "status": "under_verification",
            "occurred_on": "2025-11-20",
            "occurred_on_precision": "month",
            "note": "Both now ask to go to South Korea.",
            "source": article.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    update = RequestUpdate.objects.latest("id")
    assert response["Location"] == f"{kursk_case.get_absolute_url()}#request_update-{update.pk}"
    transfer.refresh_from_db()
    assert transfer.status == RequestStatus.UNDER_VERIFICATION
    assert (update.previous_status, update.status) == ("stalled", "under_verification")
    assert str(update.occurred) == "November 2025"
    assert update.recorded_by == editor
    assert update.source == article


def test_a_request_update_is_recorded_in_history_as_coming_from_the_dashboard(client, editor, kursk_case, transfer):
    client.force_login(editor)
    client.post(
        reverse("request_update", args=[kursk_case.reference, transfer.pk]),
        {"status": "verified", "occurred_on": "2025-11-20", "occurred_on_precision": "day"},
    )
    update = RequestUpdate.objects.latest("id")
    (inserted,) = history_of(update)
    assert inserted.pgh_context["channel"] == "dashboard"
    assert inserted.pgh_context["username"] == "erin"
    # The request's status change too (its earlier rows came from the test's set-up, with no channel).
    assert "dashboard" in channels(transfer)


def test_an_invalid_request_update_keeps_what_was_typed_and_says_what_to_fix(client, editor, kursk_case, transfer):
    client.force_login(editor)
    response = client.post(
        reverse("request_update", args=[kursk_case.reference, transfer.pk]),
        {"status": "granted-ish", "occurred_on": "", "occurred_on_precision": "day", "note": "Keep this note"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "status" in form.errors
    assert form.errors["occurred_on"] == ["Give a date, or choose “unknown” as its precision."]
    text = response.content.decode()
    assert "Keep this note" in text
    assert "Please fix what is marked below" in text
    transfer.refresh_from_db()
    assert transfer.status == RequestStatus.STALLED
    assert RequestUpdate.objects.filter(request=transfer).count() == 1


def test_a_request_of_another_case_cannot_be_updated_through_this_one(client, editor, kursk_case):
    other = factories.StatedRequestFactory()
    client.force_login(editor)
    url = reverse("request_update", args=[kursk_case.reference, other.pk])
    assert client.post(url, {"status": "verified", "occurred_on_precision": "unknown"}).status_code == 404


# --------------------------------------------------------------------- events


def test_adding_an_event_with_a_new_source_cites_it(client, editor, kursk_case):
    client.force_login(editor)
    ri = kursk_case.subjects.get(person__display_name="Ri Jong Chol").person
    response = client.post(
        reverse("event_create", args=[kursk_case.reference]),
        {
            "kind": "interview",
            "title": "Both ask again to go to South Korea",
            "occurred_on": "2025-11-24",
            "occurred_on_precision": "day",
            "place": "a facility near Kyiv",
            "people": [ri.pk],
            "sensitivity": "normal",
            "new_source_title": "Documentary producer's interview",
            "new_source_published_on_precision": "unknown",
            "new_source_kind": "interview",
            "new_source_url": "https://example.org/interview",
            "new_source_reliability": "C",
            "locator": "00:14:10",
            "confidence": "probable",
        },
    )
    event = Event.objects.get(title="Both ask again to go to South Korea")
    assert response["Location"] == f"{kursk_case.get_absolute_url()}#event-{event.pk}"
    assert list(event.people.all()) == [ri]
    citation = Citation.objects.get(event=event)
    assert (citation.source.title, citation.source.reliability, citation.locator) == (
        "Documentary producer's interview",
        "C",
        "00:14:10",
    )
    assert channels(event) == {"dashboard"}
    assert channels(citation.source) == {"dashboard"}


def test_adding_an_event_with_an_existing_source(client, editor, kursk_case, article):
    client.force_login(editor)
    client.post(
        reverse("event_create", args=[kursk_case.reference]),
        {
            "kind": "media_report",
            "title": "Reported by the press",
            "occurred_on": "2025-11-01",
            "occurred_on_precision": "month",
            "sensitivity": "normal",
            "source": article.pk,
            "new_source_kind": "news_report",
            "new_source_reliability": "F",
            "confidence": "confirmed",
        },
    )
    event = Event.objects.get(title="Reported by the press")
    assert str(event.occurred) == "November 2025"
    assert event.citations.get().source == article


def test_an_event_without_a_source_is_refused_field_by_field(client, editor, kursk_case):
    client.force_login(editor)
    response = client.post(
        reverse("event_create", args=[kursk_case.reference]),
        {"kind": "interview", "title": "Unsourced rumour", "occurred_on": "2025-11-24", "occurred_on_precision": "day"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "source" in errors
    assert "sensitivity" in errors  # a required choice left out is named too
    assert 'value="Unsourced rumour"' in response.content.decode()
    assert not Event.objects.filter(title="Unsourced rumour").exists()


def test_an_event_cannot_both_choose_and_describe_a_source(client, editor, kursk_case, article):
    client.force_login(editor)
    response = client.post(
        reverse("event_create", args=[kursk_case.reference]),
        {
            "kind": "interview",
            "title": "Twice sourced",
            "occurred_on": "2025-11-24",
            "occurred_on_precision": "day",
            "sensitivity": "normal",
            "source": article.pk,
            "new_source_title": "Another",
            "new_source_published_on_precision": "unknown",
            "new_source_kind": "interview",
            "new_source_reliability": "F",
            "confidence": "probable",
        },
    )
    assert "new_source_title" in response.context["form"].errors
    assert not Source.objects.filter(title="Another").exists()


# ------------------------------------------------------------------ positions


def test_recording_a_governments_position_goes_through_the_service(client, editor, kursk_case, transfer):
    receiving = kursk_case.involvements.get(government__name="South Korea")
    client.force_login(editor)
    url = reverse("position_create", args=[kursk_case.reference])
    form_page = client.get(url, {"involvement": receiving.pk, "request": transfer.pk})
    assert form_page.context["form"].initial == {"involvement": str(receiving.pk), "request": str(transfer.pk)}
    response = client.post(
        url,
        {
            "involvement": receiving.pk,
            "request": transfer.pk,
            "stance": "supports",
            "stated_on": "2025-11-26",
            "stated_on_precision": "day",
            "statement_original": "We will accept them.",
            "statement_language": "en",
            "new_source_kind": "news_report",
            "new_source_reliability": "F",
        },
    )
    statement = PositionStatement.objects.latest("id")
    assert response["Location"] == f"{kursk_case.get_absolute_url()}#position-{statement.pk}"
    assert (statement.involvement, statement.request, statement.stance) == (receiving, transfer, "supports")
    assert statement.recorded_by == editor
    assert channels(statement) == {"dashboard"}


def test_only_a_conditional_position_can_depend_on_a_request(client, editor, kursk_case, transfer):
    receiving = kursk_case.involvements.get(government__name="South Korea")
    client.force_login(editor)
    response = client.post(
        reverse("position_create", args=[kursk_case.reference]),
        {
            "involvement": receiving.pk,
            "stance": "opposes",
            "condition_request": transfer.pk,
            "stated_on": "2025-11-26",
            "stated_on_precision": "day",
            "new_source_kind": "news_report",
            "new_source_reliability": "F",
        },
    )
    assert response.status_code == 200
    assert "condition_request" in response.context["form"].errors


def test_a_government_of_another_case_is_not_offered(client, editor, kursk_case):
    stranger = factories.InvolvementFactory()
    client.force_login(editor)
    response = client.post(
        reverse("position_create", args=[kursk_case.reference]),
        {"involvement": stranger.pk, "stance": "supports", "stated_on_precision": "unknown"},
    )
    assert "involvement" in response.context["form"].errors


# ------------------------------------------------------------- notes, follow-ups


def test_adding_a_note_signs_it(client, editor, kursk_case):
    client.force_login(editor)
    response = client.post(reverse("note_create", args=[kursk_case.reference]), {"body": "Called the embassy."})
    assert response["Location"] == f"{kursk_case.get_absolute_url()}#notes"
    note = CaseNote.objects.get(case=kursk_case)
    assert (note.body, note.author) == ("Called the embassy.", editor)
    assert channels(note) == {"dashboard"}
    assert "Called the embassy." in client.get(kursk_case.get_absolute_url()).content.decode()


def test_an_empty_note_is_refused(client, editor, kursk_case):
    client.force_login(editor)
    response = client.post(reverse("note_create", args=[kursk_case.reference]), {"body": ""})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert not CaseNote.objects.exists()


def test_adding_and_completing_a_follow_up(client, editor, kursk_case):
    client.force_login(editor)
    response = client.post(
        reverse("follow_up_create", args=[kursk_case.reference]),
        {"title": "Ask the ICRC for a visit", "due_on": "2025-12-01", "assignee": editor.pk},
    )
    assert response["Location"] == f"{kursk_case.get_absolute_url()}#follow-ups"
    follow_up = FollowUp.objects.get(case=kursk_case)
    assert (follow_up.title, follow_up.due_on, follow_up.assignee) == (
        "Ask the ICRC for a visit",
        datetime.date(2025, 12, 1),
        editor,
    )
    client.post(reverse("follow_up_complete", args=[kursk_case.reference, follow_up.pk]))
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    assert channels(follow_up) == {"dashboard"}


def test_a_follow_up_cannot_be_assigned_to_someone_outside_the_case(client, editor, kursk_case, olivia):
    client.force_login(editor)
    response = client.post(
        reverse("follow_up_create", args=[kursk_case.reference]),
        {"title": "Call", "due_on": "2025-12-01", "assignee": olivia.pk},
    )
    assert "assignee" in response.context["form"].errors


def test_a_follow_up_without_a_date_keeps_its_title(client, editor, kursk_case):
    client.force_login(editor)
    response = client.post(reverse("follow_up_create", args=[kursk_case.reference]), {"title": "Keep me"})
    assert "due_on" in response.context["form"].errors
    assert 'value="Keep me"' in response.content.decode()


def test_completing_a_follow_up_is_post_only(client, editor, kursk_case):
    follow_up = factories.FollowUpFactory(case=kursk_case)
    client.force_login(editor)
    assert client.get(reverse("follow_up_complete", args=[kursk_case.reference, follow_up.pk])).status_code == 405


def test_the_viewer_and_editor_roles_decide_who_may_act(client, kursk_case, transfer):
    url = reverse("request_update", args=[kursk_case.reference, transfer.pk])
    data = {"status": "verified", "occurred_on": "2025-11-20", "occurred_on_precision": "day"}
    reader = factories.UserFactory(username="partner-lawyer")
    Group.objects.get(name=VIEWER).user_set.add(reader)
    client.force_login(reader)
    assert "Record update" not in client.get(kursk_case.get_absolute_url()).content.decode()
    assert client.post(url, data).status_code == 403
    advocate = factories.UserFactory(username="advocate")
    Group.objects.get(name=EDITOR).user_set.add(advocate)
    client.force_login(advocate)
    assert "Record update" in client.get(kursk_case.get_absolute_url()).content.decode()
    assert client.post(url, data).status_code == 302


def test_the_case_pages_follow_up_form_offers_the_lead_the_team_and_the_writer(client, editor, kursk_case, bob, olivia):
    from casework.models import CaseMember

    CaseMember.objects.create(case=kursk_case, user=bob)
    client.force_login(editor)
    field = client.get(kursk_case.get_absolute_url()).context["follow_up_form"]["assignee"].field
    offered = [label for value, label in field.choices if value]
    assert offered == sorted(offered) and set(offered) == {"alice", "bob", "erin"}  # not Olivia: not on the case
    assert field.initial == editor.pk
