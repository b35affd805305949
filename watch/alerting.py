"""Forced-return alerts: raised once per finding of the rules (watch.rules), told to
the case's lead, team and data managers, escalated while nobody acknowledges them
(docs/watch.md). Each alert's summary is a phrase (watch.phrases), read in each
reader's language; the ``summary`` column keeps it in the site's language."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseMember
from watch import rules, services
from watch.models import Alert
from watch.models.choices import Trigger
from watch.phrases import choice, phrase, render
from watch.selectors import all_case_viewers, data_managers


def alert_recipients(case: Case, level: int) -> list:
    if level == 0:
        team = [m.user for m in CaseMember.objects.filter(case=case).select_related("user")]
        people = ([case.lead] if case.lead_id else []) + team + list(data_managers())
    elif level == 1:
        people = list(data_managers())
    else:
        people = all_case_viewers()
    unique = {user.pk: user for user in people if user.is_active}
    return [user for user in unique.values() if Case.objects.visible_to(user).filter(pk=case.pk).exists()]


def _alert_text(alert: Alert, user, level: int) -> dict:
    from core.access import sees_sensitive

    summary = (alert.message or alert.summary) if (not alert.sensitive or sees_sensitive(user)) else None
    if summary is None:
        summary = choice("alert_rule", alert.rule)
    if level == 0:
        return phrase("alert", case=str(alert.case), summary=summary)
    return phrase("alert-escalated", level=level, case=str(alert.case), summary=summary)


def tell_about_alert(alert: Alert, level: int) -> None:
    for user in alert_recipients(alert.case, level):
        services.notify(
            user=user,
            trigger=Trigger.FORCED_RETURN,
            key=f"alert:{alert.pk}:{level}",
            case=alert.case,
            text=_alert_text(alert, user, level),
            url=reverse("home"),
            sensitive=alert.sensitive,
        )


def _in_site_language(message: dict) -> str:
    """The summary column: the phrase in the site's language (the admin's search; pages render ``message``)."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return render(message)


def raise_alerts(findings: list[rules.Finding]) -> list[Alert]:
    raised = []
    for finding in findings:
        alert, created = Alert.objects.get_or_create(
            key=finding.key,
            defaults={
                "rule": finding.rule,
                "case": finding.case,
                "person": finding.person,
                "summary": _in_site_language(finding.summary),
                "message": finding.summary,
                "sensitive": finding.sensitive,
            },
        )
        if created:
            tell_about_alert(alert, 0)
            raised.append(alert)
    return raised


@transaction.atomic
def escalate_alerts(*, now: datetime.datetime | None = None) -> int:
    """Alerts nobody acknowledged within VIGIL_ALERT_ESCALATE_MINUTES go to the data
    managers again, and as long again later to every holder of view_all_cases."""
    now = now or timezone.now()
    wait = datetime.timedelta(minutes=settings.VIGIL_ALERT_ESCALATE_MINUTES)
    escalated = 0
    for alert in (
        Alert.objects.select_for_update(skip_locked=True)
        .filter(acknowledged_at__isnull=True, escalation_level__lt=2)
        .select_related("case")
    ):
        since = alert.escalated_at or alert.raised_at
        if now - since < wait:
            continue
        alert.escalation_level += 1
        alert.escalated_at = now
        alert.save(update_fields=["escalation_level", "escalated_at"])
        tell_about_alert(alert, alert.escalation_level)
        escalated += 1
    return escalated
