"""Quiet hours and e-mailed times are on each recipient's own clock (their time
zone, core.locale.time_zone_for), not the site's: a user in Seoul and one in Kyiv
with the same quiet hours are e-mailed at different instants, and each e-mail
names the time in its reader's zone. Real worker, real SMTP server."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.utils import timezone

from core.services import preferences_set
from tests import factories
from tests.conftest import grant_editor
from tests.watch.conftest import make_due_now, run_worker
from watch import services
from watch.digest import send_due_digests
from watch.models import Notification, Preference, WatchSettings
from watch.models.choices import Delivery, DigestFrequency, EmailState, Trigger

pytestmark = pytest.mark.django_db(transaction=True)

SEOUL, KYIV = zoneinfo.ZoneInfo("Asia/Seoul"), zoneinfo.ZoneInfo("Europe/Kyiv")


def person(name: str, zone: str):
    user = grant_editor(factories.UserFactory(username=name, email=f"{name}@example.org"))
    preferences_set(user=user, language="en", time_zone=zone)
    return user


def hours_around(moment: datetime.datetime, zone) -> tuple[datetime.time, datetime.time]:
    """Quiet hours from an hour before to an hour after ``moment`` on ``zone``'s clock."""
    local = moment.astimezone(zone).replace(second=0, microsecond=0)
    return (local - datetime.timedelta(hours=1)).time(), (local + datetime.timedelta(hours=1)).time()


def scheduled_at(notification: Notification) -> datetime.datetime | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT scheduled_at FROM procrastinate_jobs WHERE task_name = 'watch.deliver_email'"
            " AND args->>'notification_id' = %s",
            [str(notification.pk)],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def recipients(mailbox) -> list[str]:
    return [message["To"] for message in mailbox.messages]


def test_the_same_quiet_hours_hold_seoul_and_kyiv_until_different_instants(smtp_server):
    seoul, kyiv = person("minji", "Asia/Seoul"), person("oksana", "Europe/Kyiv")
    now = timezone.now()
    quiet_from, quiet_until = hours_around(now, SEOUL)  # quiet now in Seoul; seven hours earlier in Kyiv: not
    for user in (seoul, kyiv):
        WatchSettings.objects.create(user=user, quiet_from=quiet_from, quiet_until=quiet_until)
        Preference.objects.create(user=user, trigger=Trigger.CASE_EVENT, delivery=Delivery.EMAIL)
    case = factories.CaseFactory(title="Two soldiers", lead=seoul)
    for user in (seoul, kyiv):
        services.notify(user=user, trigger=Trigger.CASE_EVENT, key="visit", text="ICRC visit recorded.", case=case)
    run_worker()

    assert recipients(smtp_server) == ["oksana@example.org"]  # outside her quiet hours: at once
    held = Notification.objects.get(user=seoul)
    assert held.email_state == EmailState.PENDING
    # Held until the quiet hours end on Seoul's clock: that instant in UTC, not the site's.
    end = now.astimezone(SEOUL).replace(second=0, microsecond=0) + datetime.timedelta(hours=1)
    assert scheduled_at(held) == end
    assert end.astimezone(KYIV).time() != quiet_until  # Kyiv's clock would have said another instant

    make_due_now()
    run_worker()
    assert recipients(smtp_server) == ["oksana@example.org", "minji@example.org"]


def test_a_notification_email_names_its_time_in_the_recipients_zone(smtp_server):
    seoul, kyiv = person("minji", "Asia/Seoul"), person("oksana", "Europe/Kyiv")
    case = factories.CaseFactory(title="Two soldiers", lead=seoul)
    for user in (seoul, kyiv):
        Preference.objects.create(user=user, trigger=Trigger.CASE_EVENT, delivery=Delivery.EMAIL)
        services.notify(user=user, trigger=Trigger.CASE_EVENT, key="visit", text="ICRC visit recorded.", case=case)
    run_worker()
    bodies = {m["To"]: m.get_payload(decode=True).decode() for m in smtp_server.messages}
    for address, user, zone in (("minji@example.org", seoul, SEOUL), ("oksana@example.org", kyiv, KYIV)):
        created = Notification.objects.get(user=user).created_at.astimezone(zone)
        assert f"{created:%H:%M} ({zone.key})" in bodies[address]


def test_the_digest_names_its_period_in_the_readers_zone_and_waits_for_their_quiet_hours(db):
    from django.core import mail

    seoul, kyiv = person("minji", "Asia/Seoul"), person("oksana", "Europe/Kyiv")
    case = factories.CaseFactory(title="Two soldiers", lead=seoul)
    now = timezone.now()
    since = now - datetime.timedelta(days=1, minutes=1)
    quiet_from, quiet_until = hours_around(now, KYIV)  # quiet now in Kyiv, not in Seoul
    for user in (seoul, kyiv):
        services.follow_case(case=case, user=user)
        WatchSettings.objects.filter(user=user).update(
            digest=DigestFrequency.DAILY, last_digest_at=since, quiet_from=quiet_from, quiet_until=quiet_until
        )
    factories.EventFactory(case=case, title="ICRC visit", kind="icrc")
    mail.outbox.clear()
    assert send_due_digests(now=now) == 1
    [message] = mail.outbox
    assert message.to == ["minji@example.org"]
    assert f"{since.astimezone(SEOUL):%H:%M} (Asia/Seoul)" in message.body
