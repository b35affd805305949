"""The forced-return watch: each rule, the alert's recipients, acknowledgement
and escalation, with the real worker. Alice leads the case, Bob is on its team,
Dana is a data manager, Vic may see every case."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.models import CaseMember, GovernmentRole, RequestCategory, Stance
from core.roles import DATA_MANAGER
from tests import factories
from tests.conftest import grant_editor
from tests.watch.conftest import run_worker
from watch import services
from watch.models import Alert, Notification
from watch.models.choices import AlertRule, EmailState, Trigger
from watch.notify import escalate_alerts
from watch.tasks import process_changes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    alice = grant_editor(factories.UserFactory(username="alice", email="alice@example.org"))
    bob = grant_editor(factories.UserFactory(username="bob", email="bob@example.org"))
    dana = factories.UserFactory(username="dana", email="dana@example.org")
    dana.groups.add(Group.objects.get(name=DATA_MANAGER))
    vic = factories.UserFactory(username="vic", email="vic@example.org")
    vic.user_permissions.add(Permission.objects.get(codename="view_all_cases"))
    case = factories.RestrictedCaseFactory(title="Ri and Paek", lead=alice)
    CaseMember.objects.create(case=case, user=bob)
    ri = factories.PersonFactory(display_name="Ri Jong Chol")
    factories.CaseSubjectFactory(case=case, person=ri)
    factories.StatedRequestFactory(case=case, person=ri, category=RequestCategory.NON_RETURN)
    russia = factories.GovernmentFactory(name="Russia")
    ukraine = factories.GovernmentFactory(name="Ukraine")
    detaining = factories.InvolvementFactory(case=case, government=ukraine, role=GovernmentRole.DETAINING_STATE)
    return {
        "alice": alice,
        "bob": bob,
        "dana": dana,
        "vic": vic,
        "case": case,
        "ri": ri,
        "detaining": detaining,
        "russia": russia,
        "ukraine": ukraine,
    }


def settle():
    process_changes.defer()
    run_worker()


def test_a_repatriation_recorded_for_someone_who_asked_not_to_be_returned_alerts_lead_team_and_data_managers(
    world, smtp_server
):
    settle()
    event = factories.EventFactory(case=world["case"], kind="repatriation", title="Sent back")
    event.people.add(world["ri"])
    settle()
    alert = Alert.objects.get(rule=AlertRule.MOVED_WHILE_PROTECTED)
    told = set(Notification.objects.filter(trigger=Trigger.FORCED_RETURN).values_list("user__username", flat=True))
    assert told == {"alice", "bob", "dana"}
    assert Notification.objects.filter(trigger=Trigger.FORCED_RETURN, email_state=EmailState.SENT).count() == 3
    urgent = [m for m in smtp_server.messages if "urgent" in m["Subject"].lower()]
    assert len(urgent) == 3
    for message in urgent:  # a restricted case: nothing of it by e-mail
        body = message.get_payload(decode=True).decode()
        assert "Ri Jong Chol" not in body and "Ri and Paek" not in body
    assert alert.history.filter(pgh_label="insert").exists()


def test_an_alert_ignores_quiet_hours(world, smtp_server):
    now = timezone.localtime()
    from watch.models import WatchSettings

    WatchSettings.objects.create(
        user=world["alice"],
        quiet_from=(now - datetime.timedelta(hours=1)).time(),
        quiet_until=(now + datetime.timedelta(hours=1)).time(),
    )
    settle()
    factories.EventFactory(case=world["case"], kind="transfer", title="Moved")
    settle()
    assert any(m["To"] == "alice@example.org" and "URGENT" in m["Subject"].upper() for m in smtp_server.messages)


def test_a_detaining_state_moving_toward_return_raises_an_alert(world):
    settle()
    factories.PositionStatementFactory(involvement=world["detaining"], stance=Stance.CONDITIONAL)
    settle()
    assert not Alert.objects.exists()
    factories.PositionStatementFactory(
        involvement=world["detaining"], stance=Stance.NO_RESPONSE, stated_on=datetime.date(2025, 6, 1)
    )
    settle()
    alert = Alert.objects.get(rule=AlertRule.DETAINING_STATE_TOWARD_RETURN)
    assert "conditional → no response" in alert.summary


def test_risk_raised_to_extreme_raises_a_sensitive_alert(world, smtp_server):
    settle()
    ri = world["ri"]
    ri.risk_level = "extreme"
    ri.save()
    settle()
    alert = Alert.objects.get(rule=AlertRule.RISK_RAISED)
    assert alert.sensitive
    assert all("extreme" not in m.get_payload(decode=True).decode() for m in smtp_server.messages)


def test_an_exchange_naming_the_detaining_state_alerts_its_cases(world):
    settle()
    other_case = factories.CaseFactory()
    exchange = factories.EventFactory(case=other_case, kind="exchange", title="Prisoner swap")
    exchange.governments.add(world["ukraine"])
    settle()
    assert Alert.objects.filter(rule=AlertRule.EXCHANGE_BY_DETAINING_STATE, case=world["case"]).exists()


def test_an_alert_needs_a_named_user_and_a_note_and_escalates_until_acknowledged(world, settings, client):
    settings.VIGIL_ALERT_ESCALATE_MINUTES = 30
    settle()
    factories.EventFactory(case=world["case"], kind="release", title="Released at the border")
    settle()
    alert = Alert.objects.get()
    client.force_login(world["alice"])
    assert "At risk now" in client.get("/").content.decode()

    later = timezone.now() + datetime.timedelta(minutes=31)
    assert escalate_alerts(now=later) == 1
    assert Notification.objects.filter(key=f"alert:{alert.pk}:1", user=world["dana"]).exists()
    assert escalate_alerts(now=later + datetime.timedelta(minutes=31)) == 1
    assert Notification.objects.filter(key=f"alert:{alert.pk}:2", user=world["vic"]).exists()

    with pytest.raises(ValidationError):
        services.alert_acknowledge(alert=alert, user=world["bob"], note="  ")
    client.post(f"/watch/alerts/{alert.pk}/acknowledge/", {"note": "Called the ICRC delegation in Kyiv"})
    alert.refresh_from_db()
    assert alert.acknowledged_by == world["alice"]
    assert alert.acknowledgement_note == "Called the ICRC delegation in Kyiv"
    assert "At risk now" not in client.get("/").content.decode()
    assert escalate_alerts(now=later + datetime.timedelta(days=1)) == 0
    labels = list(alert.history.order_by("pgh_id").values_list("pgh_label", flat=True))
    assert labels == ["insert", "update", "update", "update"]  # raised, escalated twice, acknowledged


def test_an_outsider_cannot_acknowledge_an_alert_in_a_case_they_cannot_see(world, client):
    settle()
    factories.EventFactory(case=world["case"], kind="release", title="Released")
    settle()
    alert = Alert.objects.get()
    olivia = grant_editor(factories.UserFactory(username="olivia"))
    client.force_login(olivia)
    assert client.post(f"/watch/alerts/{alert.pk}/acknowledge/", {"note": "x"}).status_code == 404
    assert "At risk now" not in client.get("/").content.decode()
