"""Follows, notifications and their e-mails, with a real worker and a real SMTP server.

Alice leads an open case; Bob is on the team of a restricted one; Olivia is an
outsider. Nobody touches anything between a write and its e-mail: the jobs do it.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from casework.models import CaseMember, Confidentiality
from casework.services import request_update_status
from events.models import Sensitivity
from tests import factories
from tests.conftest import grant_editor
from tests.watch.conftest import SMTP_PORT, make_due_now, run_worker
from watch import services
from watch.mail import GENERIC_TEXT, unsubscribe_token
from watch.models import Follow, JobFailure, Notification, Preference, WatchSettings
from watch.models.choices import Delivery, EmailState, Trigger
from watch.tasks import check_due, process_changes

pytestmark = pytest.mark.django_db(transaction=True)


def user(name: str):
    return grant_editor(factories.UserFactory(username=name, email=f"{name}@example.org"))


def bodies(mailbox) -> list[str]:
    return [message.get_payload(decode=True).decode() for message in mailbox.messages]


def due_emails(mailbox) -> list:
    """The follow-up-due e-mails (a periodic job may also send the assignment's)."""
    return [m for m in mailbox.messages if "falls due" in m["Subject"]]


def test_a_follow_up_falling_due_reaches_its_assignee_by_notification_and_email(smtp_server):
    alice = user("alice")
    case = factories.CaseFactory(title="The Kursk prisoners", lead=alice)
    factories.FollowUpFactory(case=case, title="Call the ICRC", due_on=timezone.localdate(), assignee=alice)

    check_due.defer()
    run_worker()

    notification = Notification.objects.get(user=alice, trigger=Trigger.FOLLOW_UP_DUE)
    assert "Call the ICRC" in notification.text
    assert notification.email_state == EmailState.SENT
    due = [m for m in smtp_server.messages if "falls due" in m["Subject"]]
    assert len(due) == 1
    message = due[0]
    assert message["To"] == "alice@example.org"
    assert "Call the ICRC" in message.get_payload(decode=True).decode()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_leading_being_on_the_team_and_editing_follow_a_case_and_unfollow_sticks(smtp_server):
    alice, bob, carol = user("alice"), user("bob"), user("carol")
    case = factories.CaseFactory(lead=alice)
    CaseMember.objects.create(case=case, user=bob)
    import pghistory

    with pghistory.context(user=carol.pk):
        factories.CaseNoteFactory(case=case)
    process_changes.defer()
    run_worker()
    reasons = dict(Follow.objects.filter(case=case, active=True).values_list("user__username", "reason"))
    assert reasons == {"alice": "lead", "bob": "team", "carol": "editor"}

    services.unfollow_case(case=case, user=carol)
    with pghistory.context(user=carol.pk):
        factories.CaseNoteFactory(case=case)
    process_changes.defer()
    run_worker()
    assert not Follow.objects.get(case=case, user=carol).active


def test_every_change_trigger_notifies_the_followers(smtp_server):
    alice, bob = user("alice"), user("bob")
    case = factories.CaseFactory(lead=alice)
    services.follow_case(case=case, user=bob)
    request = factories.StatedRequestFactory(case=case)
    involvement = factories.InvolvementFactory(case=case)
    process_changes.defer()
    run_worker()

    request_update_status(request=request, status="in_progress", occurred_on=datetime.date(2026, 3, 1), user=alice)
    request_update_status(request=request, status="stalled", occurred_on=datetime.date(2026, 4, 1), user=alice)
    factories.PositionStatementFactory(involvement=involvement, stance="conditional")
    factories.EventFactory(case=case, title="ICRC visit", kind="icrc")
    factories.FollowUpFactory(case=case, assignee=bob, due_on=timezone.localdate() + datetime.timedelta(days=9))
    process_changes.defer()
    run_worker()

    triggers = set(Notification.objects.filter(user=bob).values_list("trigger", flat=True))
    assert {
        Trigger.REQUEST_STATUS,
        Trigger.REQUEST_STALLED,
        Trigger.POSITION,
        Trigger.CASE_EVENT,
        Trigger.FOLLOW_UP_ASSIGNED,
    } <= triggers
    # A job run twice notifies once.
    count = Notification.objects.count()
    process_changes.defer()
    check_due.defer()
    run_worker()
    assert Notification.objects.filter(user=bob).count() == count - Notification.objects.exclude(user=bob).count()


def test_a_restricted_case_email_carries_no_name_title_or_content(smtp_server):
    alice, bob = user("alice"), user("bob")
    case = factories.RestrictedCaseFactory(title="Secret: Tumanov brothers", lead=alice)
    CaseMember.objects.create(case=case, user=bob)
    Preference.objects.create(user=bob, trigger=Trigger.CASE_EVENT, delivery=Delivery.EMAIL)
    process_changes.defer()
    run_worker()
    factories.EventFactory(case=case, title="Tumanov moved to Kursk", kind="detention")
    process_changes.defer()
    run_worker()

    texts = bodies(smtp_server)
    assert texts, "bob is told of being added and of the event"
    for message, text in zip(smtp_server.messages, texts, strict=True):
        assert "Tumanov" not in text and "Tumanov" not in message["Subject"]
        assert "Secret" not in text
        assert case.reference not in text
        assert str(GENERIC_TEXT) in text


def test_a_sensitive_event_never_appears_in_an_email(smtp_server):
    alice = user("alice")
    sam = factories.UserFactory(username="sam", email="sam@example.org", is_superuser=True)
    case = factories.CaseFactory(lead=alice)
    services.follow_case(case=case, user=sam)
    Preference.objects.create(user=sam, trigger=Trigger.CASE_EVENT, delivery=Delivery.EMAIL)
    factories.EventFactory(
        case=case, title="Self-harm attempt", kind="welfare_incident", sensitivity=Sensitivity.SENSITIVE
    )
    process_changes.defer()
    run_worker()
    assert Notification.objects.filter(user=sam, trigger=Trigger.CASE_EVENT).exists()
    assert not Notification.objects.filter(user=alice, trigger=Trigger.CASE_EVENT).exists()  # may not see it
    assert bodies(smtp_server) and all("Self-harm" not in text for text in bodies(smtp_server))


def test_an_email_is_withheld_when_access_was_lost_before_delivery(smtp_server):
    alice, bob = user("alice"), user("bob")
    case = factories.CaseFactory(lead=alice)
    services.follow_case(case=case, user=bob)
    Preference.objects.create(user=bob, trigger=Trigger.CASE_EVENT, delivery=Delivery.EMAIL)
    factories.EventFactory(case=case, title="Transfer talks", kind="diplomatic_contact")
    from watch.notify import process_changes as handle

    while handle():
        pass
    case.confidentiality = Confidentiality.RESTRICTED  # bob is not on the team
    case.save()
    run_worker()  # the e-mail job queued before runs now
    notification = Notification.objects.get(user=bob, trigger=Trigger.CASE_EVENT)
    assert notification.email_state == EmailState.WITHHELD
    assert smtp_server.messages == [] or all("Transfer talks" not in t for t in bodies(smtp_server))


def test_quiet_hours_hold_an_email_until_they_end(smtp_server):
    alice = user("alice")
    now = timezone.localtime()
    WatchSettings.objects.create(
        user=alice,
        quiet_from=(now - datetime.timedelta(hours=1)).time(),
        quiet_until=(now + datetime.timedelta(hours=1)).time().replace(microsecond=0),
    )
    case = factories.CaseFactory(lead=alice)
    factories.FollowUpFactory(case=case, due_on=timezone.localdate(), assignee=alice)
    check_due.defer()
    run_worker()
    assert smtp_server.messages == []
    notification = Notification.objects.get(user=alice, trigger=Trigger.FOLLOW_UP_DUE)
    assert notification.email_state == EmailState.PENDING  # shown in the dashboard at once, e-mailed later
    make_due_now()
    run_worker()
    assert len(due_emails(smtp_server)) == 1


def test_the_signed_unsubscribe_link_stops_those_emails_in_one_click(client):
    alice = user("alice")
    token = unsubscribe_token(user=alice, trigger=Trigger.FOLLOW_UP_DUE)
    assert client.get(f"/watch/unsubscribe/{token}/").status_code == 200
    assert client.post(f"/watch/unsubscribe/{token}/").status_code == 200
    assert services.delivery_for(user=alice, trigger=Trigger.FOLLOW_UP_DUE) == Delivery.DASHBOARD
    assert client.post(f"/watch/unsubscribe/{token[:-2]}xx/").status_code == 404


def test_an_email_that_fails_is_retried_and_its_error_kept_for_data_managers(smtp_server, settings):
    alice = user("alice")
    settings.EMAIL_PORT = 8159  # nothing listens here
    case = factories.CaseFactory(lead=alice)
    factories.FollowUpFactory(case=case, due_on=timezone.localdate(), assignee=alice)
    check_due.defer()
    run_worker()
    failures = JobFailure.objects.filter(task_name="watch.deliver_email")  # the due one (and the assignment's)
    assert failures and all(f.will_retry and "Connection refused" in f.error for f in failures)
    settings.EMAIL_PORT = SMTP_PORT
    make_due_now()
    run_worker()
    assert len(due_emails(smtp_server)) == 1


def test_the_header_shows_the_unread_count_and_the_page_lists_them(client):
    alice = user("alice")
    case = factories.CaseFactory(lead=alice)
    services.notify(user=alice, trigger=Trigger.POSITION, key="k1", case=case, text="Seoul's position: conditional")
    client.force_login(alice)
    page = client.get("/watch/notifications/").content.decode()
    assert "Seoul&#x27;s position: conditional" in page
    assert 'aria-label="1 unread"' in page
    client.post("/watch/notifications/")
    assert 'aria-label="1 unread"' not in client.get("/watch/notifications/").content.decode()


def test_following_a_person_brings_news_of_every_case_they_are_in(smtp_server, client):
    alice, bob = user("alice"), user("bob")
    ri = factories.PersonFactory(display_name="Ri Jong Chol")
    case = factories.CaseFactory(lead=alice)
    factories.CaseSubjectFactory(case=case, person=ri)
    client.force_login(bob)
    assert client.post(f"/watch/follow-person/{ri.pk}/", {"follow": "1"}).status_code == 302
    factories.EventFactory(case=case, title="ICRC visit", kind="icrc")
    process_changes.defer()
    run_worker()
    assert Notification.objects.filter(user=bob, trigger=Trigger.CASE_EVENT, text__contains="ICRC visit").exists()
    client.post(f"/watch/follow-person/{ri.pk}/", {"follow": "0"})
    assert not Follow.objects.get(user=bob, person=ri).active


def test_being_added_to_and_removed_from_a_restricted_team_is_told_and_the_removal_names_nothing(smtp_server):
    alice, bob = user("alice"), user("bob")
    case = factories.RestrictedCaseFactory(title="Tumanov brothers", lead=alice)
    member = CaseMember.objects.create(case=case, user=bob)
    process_changes.defer()
    run_worker()
    member.delete()
    process_changes.defer()
    run_worker()
    texts = list(
        Notification.objects.filter(user=bob, trigger=Trigger.TEAM).order_by("id").values_list("text", flat=True)
    )
    assert len(texts) == 2
    assert texts[1] == "You were removed from the team of a restricted case."
    assert all("Tumanov" not in body for body in bodies(smtp_server))


def test_a_request_that_stops_moving_is_reported_stalled_to_followers(smtp_server, settings):
    settings.VIGIL_STALLED_AFTER_DAYS = 30
    alice = user("alice")
    case = factories.CaseFactory(lead=alice)
    services.follow_case(case=case, user=alice)
    factories.StatedRequestFactory(case=case, category="medicine")  # first stated February 2025, nothing since
    check_due.defer()
    run_worker()
    [notification] = Notification.objects.filter(user=alice, trigger=Trigger.REQUEST_STALLED)
    assert "Request “medicine”" in notification.text and "stalled for" in notification.text


def test_the_notifications_page_filters_by_trigger_and_by_what_is_new(client):
    alice = user("alice")
    case = factories.CaseFactory(lead=alice)
    services.notify(user=alice, trigger=Trigger.POSITION, key="k1", case=case, text="Seoul's position: conditional")
    services.notify(user=alice, trigger=Trigger.CASE_EVENT, key="k2", case=case, text="ICRC visit to Seoul")
    client.force_login(alice)
    page = client.get("/watch/notifications/?trigger=position").content.decode()
    assert "Seoul&#x27;s position" in page and "ICRC visit" not in page
    Notification.objects.filter(user=alice, key="k1").update(read_at=timezone.now())
    page = client.get("/watch/notifications/?new=true").content.decode()
    assert "ICRC visit" in page and "Seoul&#x27;s position" not in page


def test_an_unknown_trigger_lists_no_notification_rather_than_all(client):
    alice = user("alice")
    services.notify(
        user=alice, trigger=Trigger.POSITION, key="k1", case=factories.CaseFactory(lead=alice), text="Seoul"
    )
    client.force_login(alice)
    page = client.get("/watch/notifications/?trigger=nonsense").content.decode()
    assert "Seoul" not in page and "errorlist" in page


def test_the_filters_offer_any_rather_than_unknown_in_the_readers_language(client):
    alice = user("alice")
    client.force_login(alice)
    page = client.get("/watch/notifications/").content.decode()
    assert '<option value="unknown" selected>Any</option>' in page and ">Unknown<" not in page
    page = client.get("/watch/notifications/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<option value="unknown" selected>전체</option>' in page
