"""The watch's reads: what a user follows, was told and started, limited to the cases they
may still see (``Case.objects.visible_to``) where a case is named; and whom the watch tells
(a case's followers who may still see it, the data managers, every holder of
``view_all_cases``). What a user was told or started is theirs alone (``user=user``), the
watch's ``visible_to``; whom the watch tells is read for no user (``case_followers``,
``data_managers``, ``all_case_viewers``, ``subscriber``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from casework.models import Case
from core.access import sees_every_case
from core.models import BackgroundWork
from core.roles import DATA_MANAGER
from watch.filtersets import NotificationFilterSet
from watch.models import Alert, Follow, Notification, OutboxMessage


def unread_count(*, user) -> int:
    return visible_notifications(user=user).filter(read_at__isnull=True).count()


def visible_notifications(*, user) -> QuerySet[Notification]:
    """A user's notifications about what they may still see (access may have changed)."""
    return Notification.objects.filter(user=user).filter(
        Q(case__isnull=True) | Q(case__in=Case.objects.visible_to(user).values("pk"))
    )


def notification_list(*, user, params=None) -> tuple[NotificationFilterSet, QuerySet[Notification]]:
    """The notifications page: ``visible_notifications`` with their cases, latest first, narrowed by
    ``params`` (``NotificationFilterSet``: new, trigger, urgent; invalid filters give none)."""
    notifications = visible_notifications(user=user).select_related("case")
    filterset = NotificationFilterSet(params or None, queryset=notifications)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, notifications.none()
    return filterset, filterset.qs


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


def alert_for(*, user, pk: int) -> Alert:
    """One alert in a case ``user`` may see (404 otherwise)."""
    return get_object_or_404(alerts_for(user=user), pk=pk)


def at_risk_now(*, user, limit: int = 20) -> list[Alert]:
    """Alerts nobody acknowledged yet, for the top of the home page."""
    return list(alerts_for(user=user).filter(acknowledged_at__isnull=True).order_by("-raised_at")[:limit])


def work_for(*, user) -> QuerySet[BackgroundWork]:
    """The background work ``user`` started ("My background work"): their own, nobody else's."""
    return BackgroundWork.objects.filter(owner=user)


def work_of(*, user, pk: int) -> BackgroundWork:
    """One background work ``user`` started (404 for anyone else's)."""
    return get_object_or_404(work_for(user=user), pk=pk)


def subscriber(*, pk: int):
    """The active user an e-mail's signed unsubscribe link names (the link is the proof: its
    reader is not signed in); 404 for a user since deactivated or removed."""
    found = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise Http404("This link is not valid.")
    return found


def outbox(*, user, limit: int = 100) -> list[OutboxMessage]:
    """The e-mails Vigil would have sent, latest first (development only: superusers in DEBUG)."""
    return list(OutboxMessage.objects.all()[:limit]) if user.is_superuser else []
