"""The watch's writes: follows, preferences, notifications, alert acknowledgement,
starting long work in the background.

Keyword-only, one transaction each; ``user`` is the acting user. Jobs that a
write starts (an e-mail to send) are deferred when the transaction commits.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from casework.models import Case
from core.access import sees_every_case
from core.background import work_defer
from core.locale import load_preferences
from core.models import BackgroundWork
from watch.models import Alert, Follow, Notification, Preference, WatchSettings
from watch.models.choices import (
    DEFAULT_DELIVERY,
    URGENT_TRIGGERS,
    Delivery,
    DigestFrequency,
    EmailState,
    FollowReason,
    Trigger,
)

# ------------------------------------------------------------------- follows


@transaction.atomic
def follow_case(*, case: Case, user, reason: str = FollowReason.MANUAL) -> Follow | None:
    """``user`` follows ``case``. An automatic follow (lead, team, editor) never
    overrides an unfollow: only the user's own follow does."""
    if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        return None
    follow, created = Follow.objects.get_or_create(user=user, case=case, defaults={"reason": reason})
    if created:
        settings_for(user=user)  # a follower gets the default digest
    if not created and reason == FollowReason.MANUAL and not follow.active:
        follow.active, follow.reason = True, reason
        follow.save(update_fields=["active", "reason"])
    return follow


@transaction.atomic
def unfollow_case(*, case: Case, user) -> Follow:
    follow, _created = Follow.objects.get_or_create(user=user, case=case, defaults={"active": False})
    if follow.active:
        follow.active = False
        follow.save(update_fields=["active"])
    return follow


@transaction.atomic
def follow_person(*, person, user, follow: bool = True) -> Follow | None:
    """``user`` follows (or unfollows) ``person``: news of every case they are in."""
    from people.models import Person

    if not Person.objects.visible_to(user).filter(pk=person.pk).exists():
        return None
    entry, created = Follow.objects.get_or_create(user=user, person=person, defaults={"active": follow})
    if created and follow:
        settings_for(user=user)
    if entry.active != follow:
        entry.active = follow
        entry.save(update_fields=["active"])
    return entry


# --------------------------------------------------------------- preferences


def delivery_for(*, user, trigger: str) -> str:
    chosen = Preference.objects.filter(user=user, trigger=trigger).values_list("delivery", flat=True).first()
    return chosen or DEFAULT_DELIVERY.get(trigger, Delivery.DASHBOARD)


def settings_for(*, user) -> WatchSettings:
    from django.conf import settings

    defaults = {}
    if settings.VIGIL_QUIET_HOURS:
        start, end = settings.VIGIL_QUIET_HOURS.split("-")
        defaults = {
            "quiet_from": datetime.time.fromisoformat(start),
            "quiet_until": datetime.time.fromisoformat(end),
        }
    return WatchSettings.objects.get_or_create(user=user, defaults=defaults)[0]


@transaction.atomic
def preferences_save(
    *, user, deliveries: dict[str, str], digest: str, quiet_from=None, quiet_until=None
) -> WatchSettings:
    errors = {}
    for trigger, delivery in deliveries.items():
        if trigger not in Trigger.values:
            errors[trigger] = gettext("Not a trigger.")
        elif delivery not in Delivery.values:
            errors[trigger] = gettext("“%(delivery)s” is not a way to deliver.") % {"delivery": delivery}
    if digest not in DigestFrequency.values:
        errors["digest"] = gettext("“%(digest)s” is not a digest frequency.") % {"digest": digest}
    if (quiet_from is None) != (quiet_until is None):
        errors["quiet_until"] = gettext("Quiet hours need a start and an end.")
    if errors:
        raise ValidationError(errors)
    for trigger, delivery in deliveries.items():
        if trigger in URGENT_TRIGGERS:
            delivery = Delivery.EMAIL  # forced-return alerts cannot be muted
        Preference.objects.update_or_create(user=user, trigger=trigger, defaults={"delivery": delivery})
    watch = settings_for(user=user)
    watch.digest, watch.quiet_from, watch.quiet_until = digest, quiet_from, quiet_until
    watch.save()
    return watch


@transaction.atomic
def unsubscribe(*, user, trigger: str | None) -> None:
    """The e-mails' one-click unsubscribe: that trigger (or the digest) goes to
    the dashboard only. Forced-return alerts cannot be unsubscribed from."""
    if trigger == "digest":
        watch = settings_for(user=user)
        watch.digest = DigestFrequency.OFF
        watch.save(update_fields=["digest"])
    elif trigger in Trigger.values and trigger not in URGENT_TRIGGERS:
        Preference.objects.update_or_create(user=user, trigger=trigger, defaults={"delivery": Delivery.DASHBOARD})


# ------------------------------------------------------------- notifications


def notify_many(
    *,
    user,
    users: list,
    trigger: str,
    key: str,
    text: str | dict,
    case: Case | None = None,
    url: str = "",
    sensitive: bool = False,
) -> int:
    """Notify each of ``users`` once (per ``key``) as they chose for ``trigger``
    (see ``notify``), in a few queries whatever their number (a case's
    followers), except ``user``, who made the change (None: nobody, a job):
    nobody is told of what they did themselves. Returns how many were notified
    now. ``text`` is a phrase (watch.phrases): kept as its code and values, so
    each reader reads it in their own language and time zone (the stored
    ``text`` is the recipient's own rendering, for the admin and older readers)."""
    from casework.models import Confidentiality

    acted = user.pk if user is not None else None
    users = [someone for someone in users if someone.is_active and someone.pk != acted]
    if not users:
        return 0
    urgent = trigger in URGENT_TRIGGERS
    chosen = dict(Preference.objects.filter(user__in=users, trigger=trigger).values_list("user_id", "delivery"))
    default = DEFAULT_DELIVERY.get(trigger, Delivery.DASHBOARD)
    message = text if isinstance(text, dict) else {}
    if message:
        load_preferences(users)
    rows = []
    for user in users:
        delivery = Delivery.EMAIL if urgent else chosen.get(user.pk, default)
        if delivery == Delivery.OFF:
            continue
        rows.append(
            Notification(
                user=user,
                trigger=trigger,
                key=key[:200],
                case=case,
                text=_rendered_for(user, message) if message else text,
                message=message,
                url=url,
                restricted=bool(case and case.confidentiality == Confidentiality.RESTRICTED),
                sensitive=sensitive,
                urgent=urgent,
                email_state=EmailState.PENDING if delivery == Delivery.EMAIL and user.email else EmailState.NONE,
            )
        )
    existing = set(Notification.objects.filter(key=key[:200], user__in=users).values_list("user_id", flat=True))
    rows = [row for row in rows if row.user_id not in existing]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    emailed = [row.user for row in rows if row.email_state == EmailState.PENDING]
    if emailed:
        ids = dict(
            Notification.objects.filter(key=key[:200], user__in=emailed, email_state=EmailState.PENDING).values_list(
                "user_id", "pk"
            )
        )
        quiet = {} if urgent else {w.user_id: w for w in WatchSettings.objects.filter(user__in=emailed)}
        load_preferences(emailed)  # each one's quiet hours on their own clock, in one query
        by_pk = {user.pk: user for user in emailed}
        for watch in quiet.values():
            watch.user = by_pk[watch.user_id]
        now = timezone.now()
        for user in emailed:
            watch = quiet.get(user.pk)
            send_at = watch.quiet_hours_end(now) if watch is not None else None
            if user.pk in ids:
                transaction.on_commit(lambda pk=ids[user.pk], at=send_at: _defer_email(pk, at))
    return len(rows)


def _rendered_for(user, message: dict) -> str:
    from core.locale import override_for
    from watch.phrases import render

    with override_for(user):
        return render(message)


def notify(
    *,
    user,
    trigger: str,
    key: str,
    text: str | dict,
    case: Case | None = None,
    url: str = "",
    sensitive: bool = False,
) -> Notification | None:
    """Notify ``user`` once (per ``key``) as they chose for ``trigger``; an e-mail,
    when they want one, is sent by a job after this transaction commits (held
    until their quiet hours end, except for urgent alerts). None when they were
    notified of it already or want nothing of this kind."""
    if not notify_many(
        user=None, users=[user], trigger=trigger, key=key, text=text, case=case, url=url, sensitive=sensitive
    ):
        return None
    return Notification.objects.get(user=user, key=key[:200])


def _defer_email(notification_id: int, send_at: datetime.datetime | None) -> None:
    from watch.tasks import deliver_email

    if send_at is None:
        deliver_email.defer(notification_id=notification_id)
    else:
        deliver_email.configure(schedule_at=send_at).defer(notification_id=notification_id)


@transaction.atomic
def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


# -------------------------------------------------------------------- alerts


@transaction.atomic
def alert_acknowledge(*, alert: Alert, user, note: str) -> Alert:
    """A named user acknowledges a forced-return alert, saying what is being done."""
    from watch.selectors import alerts_for

    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": gettext("Say what is being done about it.")})
    locked = alerts_for(user=user).select_for_update(of=("self",)).filter(pk=alert.pk).first()
    if locked is None:
        raise ValidationError({"alert": gettext("No such alert.")})
    if locked.acknowledged_at is not None:
        raise ValidationError({"alert": gettext("Already acknowledged by %(who)s.") % {"who": locked.acknowledged_by}})
    locked.acknowledged_by, locked.acknowledged_at, locked.acknowledgement_note = user, timezone.now(), note
    locked.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note"])
    return locked


# ------------------------------------------------------------------- background work

#: Long work a user may start from "My background work": kind → (title, who may start it, task).
STARTABLE = {
    "duplicate_pass": (
        gettext_lazy("Full duplicate pass over every person"),
        lambda user: user.has_perm("people.review_duplicates"),
        "people.duplicate_pass",
    ),
    "verify_files": (
        gettext_lazy("Verify the stored evidence files' SHA-256"),
        sees_every_case,
        "evidence.verify_files",
    ),
}


def startable_work(*, user) -> dict[str, str]:
    """The long work ``user`` may start (kind → title): data managers' work only."""
    return {kind: title for kind, (title, may_start, _task) in STARTABLE.items() if may_start(user)}


@transaction.atomic
def work_start(*, user, kind: str) -> BackgroundWork:
    """Queue one of the ``STARTABLE`` works for ``user``, unless one is already waiting or running."""
    from procrastinate.contrib.django import app
    from procrastinate.contrib.django.models import ProcrastinateJob

    if not startable_work(user=user):
        raise PermissionDenied
    if kind not in STARTABLE:
        raise ValidationError({"kind": [gettext("Not work that can be started here.")]})
    title, may_start, task_name = STARTABLE[kind]
    if not may_start(user):
        raise PermissionDenied
    if ProcrastinateJob.objects.filter(task_name=task_name, status__in=["todo", "doing"]).exists():
        raise ValidationError(
            {
                "kind": [
                    gettext("“%(title)s” is already waiting or running; it will not run twice at once.")
                    % {"title": title}
                ]
            }
        )
    return work_defer(app.tasks[task_name], kind=kind, title=str(title), owner=user)
