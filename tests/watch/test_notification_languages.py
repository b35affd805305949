"""Text written by a job, outside any request, reaches each reader in their own language
and time zone: a notification and its e-mail, a forced-return alert on the home page.
What is stored is a code and its values (core.phrases), never a sentence in English."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from core.services import preferences_set
from tests import factories
from tests.conftest import grant_editor
from watch import notify
from watch.mail import notification_email
from watch.models import Notification
from watch.models.choices import Trigger
from watch.phrases import choice, phrase, render

pytestmark = pytest.mark.django_db


def user(name: str, language: str, zone: str):
    person = grant_editor(factories.UserFactory(username=name, email=f"{name}@example.org"))
    preferences_set(user=person, language=language, time_zone=zone)
    return person


def test_a_follow_up_falling_due_is_written_in_each_assignees_language_and_read_in_their_current_one():
    olena = user("olena", "uk", "Europe/Kyiv")
    case = factories.CaseFactory(title="Полонені", lead=olena)
    factories.FollowUpFactory(case=case, title="ICRC", due_on=datetime.date(2026, 2, 17), assignee=olena)

    notify.check_due(today=datetime.date(2026, 3, 1))

    notification = Notification.objects.get(user=olena, trigger=Trigger.FOLLOW_UP_DUE)
    assert notification.message["m"] == "follow-up-due"  # a code and its values, not a sentence
    assert "лютого 2026" in notification.text  # written for her, in Ukrainian
    assert "Follow-up" not in notification.text
    with translation.override("ko"):  # she switched to Korean: the list reads in Korean
        assert "2026년 2월 17일" in notification.shown_text
    email = notification_email(notification)
    assert "лютого 2026" in email.body and "(Europe/Kyiv)" in email.body
    assert "Follow-up" not in email.body


def test_the_same_notification_reads_in_each_language():
    stored = phrase(
        "request-stalled",
        category=choice("request_category", "medicine"),
        person="Ri Jong Chol",
        days=5,
    )
    with translation.override("en"):
        assert render(stored) == "Request “medicine” for Ri Jong Chol: stalled for 5 days."
    for language in ("ko", "uk", "ru"):
        with translation.override(language):
            text = render(stored)
        assert "Ri Jong Chol" in text and "5" in text
        assert "stalled" not in text and "medicine" not in text, (language, text)


def test_an_alert_is_stored_as_a_code_and_shown_in_the_readers_language():
    from people.models import RiskLevel
    from watch.models import Alert
    from watch.rules import risk_raised

    case = factories.CaseFactory(title="Case")
    person = factories.PersonFactory(display_name="Paek Kwang Hyok", risk_level=RiskLevel.HIGH)
    factories.CaseSubjectFactory(case=case, person=person)
    alerts = notify.raise_alerts(risk_raised(person, None))
    assert alerts
    alert = Alert.objects.get(pk=alerts[0].pk)
    assert alert.message["m"] == "risk-raised"
    with translation.override("uk"):
        text = alert.shown_summary_text
    assert "Paek Kwang Hyok" in text and "raised" not in text


def test_the_email_names_the_recipients_zone_and_time():
    minsu = user("minsu", "ko", "Asia/Seoul")
    case = factories.CaseFactory(title="Case", lead=minsu)
    from watch import services

    found = services.notify(user=minsu, trigger=Trigger.TEAM, key="k", case=case, text=phrase("team-removed"))
    email = notification_email(found)
    local = timezone.localtime(found.created_at, datetime.timezone(datetime.timedelta(hours=9)))
    assert "(Asia/Seoul)" in email.body and local.strftime("%H:%M") in email.body
    assert "restricted" not in email.body
