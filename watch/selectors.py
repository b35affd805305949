"""The watch's reads: what a user follows, was told and started, limited to the cases they
may still see (``Case.objects.visible_to``) where a case is named; and whom the watch tells
(a case's followers who may still see it, the data managers, every holder of
``view_all_cases``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from casework.models import Case
from core.access import sees_every_case
from core.models import BackgroundWork
from core.roles import DATA_MANAGER
from watch.models import Alert, Follow, Notification


def unread_count(*, user) -> int:
    return visible_notifications(user=user).filter(read_at__isnull=True).count()


def visible_notifications(*, user) -> QuerySet[Notification]:
    """A user's notifications about what they may still see (access may have changed)."""
    return Notification.objects.filter(user=user).filter(
        Q(case__isnull=True) | Q(case__in=Case.objects.visible_to(user).values("pk"))
    )


def followed_case_ids(*, user) -> QuerySet:
    return Follow.objects.filter(user=user, active=True, case__isnull=False).values("case_id")


def is_following(*, user, case: Case | None = None, person=None) -> bool:
    return Follow.objects.filter(user=user, case=case, person=person, active=True).exists()


def case_followers(*, case: Case) -> list:
    """The active users who follow ``case``, or a person in it, and may still see it."""
    from casework.models import CaseMember, CaseSubject, Confidentiality

    people = CaseSubject.objects.filter(case=case).values("person_id")
    users = list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(follows__case=case, follows__active=True) | Q(follows__person__in=people, follows__active=True))
        .distinct()
    )
    if case.confidentiality == Confidentiality.NORMAL and case.deleted_at is None:
        return users  # every signed-in user may see a case of normal confidentiality (casework.access)
    # A restricted case: its lead and team in one query; anyone else only if they see every case.
    team = set(CaseMember.objects.filter(case=case).values_list("user_id", flat=True)) | {case.lead_id}
    return [
        user
        for user in users
        if (user.pk in team and case.deleted_at is None) or Case.objects.visible_to(user).filter(pk=case.pk).exists()
    ]


def data_managers() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=DATA_MANAGER) | Q(is_superuser=True))
        .distinct()
    )


def all_case_viewers() -> list:
    users = get_user_model().objects.filter(is_active=True)
    candidates = users.filter(
        Q(is_superuser=True)
        | Q(user_permissions__codename="view_all_cases")
        | Q(groups__permissions__codename="view_all_cases")
    ).distinct()
    return [user for user in candidates if sees_every_case(user)]


def alerts_for(*, user) -> QuerySet[Alert]:
    """Forced-return alerts in cases the user may see."""
    return Alert.objects.filter(case__in=Case.objects.visible_to(user).values("pk")).select_related(
        "case", "person", "acknowledged_by"
    )


def at_risk_now(*, user, limit: int = 20) -> list[Alert]:
    """Alerts nobody acknowledged yet, for the top of the home page."""
    return list(alerts_for(user=user).filter(acknowledged_at__isnull=True).order_by("-raised_at")[:limit])


def work_for(*, user) -> QuerySet[BackgroundWork]:
    """The background work ``user`` started ("My background work"): their own, nobody else's."""
    return BackgroundWork.objects.filter(owner=user)
