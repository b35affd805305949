"""The digest and "What changed since": sentences for people, from history."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from casework.models import RequestCategory, Stance
from casework.services import position_record, request_update_status
from events.models import Sensitivity
from tests import factories
from tests.conftest import grant_editor
from watch import services
from watch.digest import changes_since, send_due_digests
from watch.models import WatchSettings
from watch.models.choices import DigestFrequency


@pytest.fixture
def followed(db):
    alice = grant_editor(factories.UserFactory(username="alice", email="alice@example.org"))
    case = factories.CaseFactory(title="Two soldiers", lead=alice)
    services.follow_case(case=case, user=alice)
    ri = factories.PersonFactory(display_name="Ri Jong Chol")
    paek = factories.PersonFactory(display_name="Paek Kwang Hyok")
    transfer = factories.StatedRequestFactory(case=case, person=ri, category=RequestCategory.TRANSFER)
    medicine = factories.StatedRequestFactory(case=case, person=paek, category=RequestCategory.MEDICINE)
    ukraine = factories.InvolvementFactory(case=case, government=factories.GovernmentFactory(name="Ukraine"))
    return {"alice": alice, "case": case, "transfer": transfer, "medicine": medicine, "ukraine": ukraine}


def test_the_digest_says_what_changed_in_words_with_labels_and_dates(followed):
    since = timezone.now() - datetime.timedelta(minutes=1)
    source = factories.SourceFactory(title="Report", publisher="Yonhap")
    position_record(
        involvement=followed["ukraine"],
        stance=Stance.UNKNOWN,
        stated_on=datetime.date(2026, 10, 1),
        request=followed["transfer"],
        user=followed["alice"],
    )
    position_record(
        involvement=followed["ukraine"],
        stance=Stance.CONDITIONAL,
        stated_on=datetime.date(2026, 11, 21),
        request=followed["transfer"],
        source=source,
        user=followed["alice"],
    )
    request_update_status(
        request=followed["medicine"],
        status="stalled",
        occurred_on=datetime.date(2026, 11, 1),
        occurred_on_precision="month",
        user=followed["alice"],
    )
    factories.EventFactory(
        case=followed["case"], title="Self-harm", kind="welfare_incident", sensitivity=Sensitivity.SENSITIVE
    )

    [group] = changes_since(user=followed["alice"], since=since)
    assert (
        "Ukraine's position on Ri Jong Chol's transfer to a third country: unknown → conditional "
        "(source: Yonhap, 21 November 2026)" in group.sentences
    )
    assert "Request “medicine” for Paek Kwang Hyok: stated → stalled (November 2026)" in group.sentences
    assert not any("Self-harm" in line for line in group.sentences)  # alice may not see sensitive events


def test_a_request_idle_past_the_threshold_reads_stalled_for_n_days(followed, settings):
    settings.VIGIL_STALLED_AFTER_DAYS = 30
    medicine = followed["medicine"]
    medicine.refresh_from_db()  # first stated in February 2025, nothing since: the database keeps last_moved_on
    days = (timezone.localdate() - medicine.last_moved_on).days
    assert days > 30
    [group] = changes_since(user=followed["alice"], since=timezone.now())
    assert f"Request “medicine” for Paek Kwang Hyok: stalled for {days} days" in group.sentences


def test_the_daily_digest_is_emailed_once_and_a_restricted_case_is_only_news(followed):
    alice = followed["alice"]
    secret = factories.RestrictedCaseFactory(title="Tumanov brothers", lead=alice)
    services.follow_case(case=secret, user=alice)
    WatchSettings.objects.filter(user=alice).update(
        digest=DigestFrequency.DAILY, last_digest_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    factories.EventFactory(case=followed["case"], title="ICRC visit", kind="icrc")
    factories.EventFactory(case=secret, title="Tumanov moved", kind="transfer")
    assert send_due_digests() == 1
    assert send_due_digests() == 0  # not twice
    [message] = mail.outbox
    assert "ICRC visit" in message.body and "Two soldiers" in message.body
    assert "Tumanov" not in message.body and "news in a restricted case" in message.body
    assert "/watch/unsubscribe/" in message.body


def test_the_what_changed_page_is_printable_and_limited_to_one_case(followed, client):
    factories.EventFactory(case=followed["case"], title="ICRC visit", kind="icrc")
    client.force_login(followed["alice"])
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    page = client.get(f"/watch/changes/?since={since}&case={followed['case'].reference}").content.decode()
    assert "ICRC visit" in page and "What changed since" in page
    assert client.get("/watch/changes/?since=not-a-date").status_code == 404
