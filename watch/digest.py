"""What changed since: the digest and its dashboard page, written for people.

Built from the trigger-kept history (django-pghistory's event tables): new
request updates, position statements and events, and changes of a case's or a
person's status, in the cases a user follows (or one case), grouped by case,
with field and choice labels and dates with their precision:

    Ukraine's position on Ri Jong Chol's transfer to a third country: unknown → conditional (source: Yonhap, 21 November 2026)
    Request “medicine” for Paek Kwang Hyok: stalled for 30 days

The sensitive rule applies: sensitive events and fields only for users with
people.view_sensitive, and never in an e-mail; a restricted case in an e-mail
is only "news in a restricted case you follow".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from casework.models import (
    SETTLED_REQUEST_STATUSES,
    Case,
    CaseStatus,
    Confidentiality,
    PositionStatement,
    RequestUpdate,
)
from core.access import sees_sensitive
from core.locale import load_preferences, local_time, override_for, time_zone_for
from events.models import Event, Sensitivity
from people.models import Person, PersonStatus
from watch.mail import absolute, unsubscribe_headers, unsubscribe_token
from watch.models.choices import DigestFrequency
from watch.notify import status_move
from watch.phrases import render


@dataclass
class CaseChanges:
    case: Case
    lines: list[tuple[datetime.datetime, str]] = field(default_factory=list)

    @property
    def restricted(self) -> bool:
        return self.case.confidentiality == Confidentiality.RESTRICTED

    @property
    def sentences(self) -> list[str]:
        return [text for _at, text in sorted(self.lines, key=lambda line: line[0])]


def _history(app_label: str, model: str):
    return apps.get_model(app_label, f"{model}History").objects


def _inserted(app_label: str, model: str, since, case_filter: dict) -> list[tuple[datetime.datetime, int]]:
    rows = _history(app_label, model).filter(pgh_label="insert", pgh_created_at__gte=since, **case_filter)
    return list(rows.values_list("pgh_created_at", "pgh_obj_id"))


def _status_changes(app_label: str, model: str, since, ids) -> list[tuple[datetime.datetime, int, str, str]]:
    """(when, object id, old, new) for each change of ``status`` since ``since``."""
    found = []
    rows = (
        _history(app_label, model)
        .filter(pgh_obj_id__in=ids)
        .order_by("pgh_obj_id", "pgh_id")
        .values_list("pgh_created_at", "pgh_obj_id", "status", "pgh_label")
    )
    previous: dict[int, str] = {}
    for at, obj_id, status, label in rows:
        old = previous.get(obj_id)
        if label == "update" and old is not None and old != status and at >= since:
            found.append((at, obj_id, old, status))
        previous[obj_id] = status
    return found


def changes_since(
    *, user, since: datetime.datetime, case: Case | None = None, for_email: bool = False
) -> list[CaseChanges]:
    """What changed since ``since`` in ``case`` or in every case ``user`` follows, as sentences."""
    from watch.selectors import followed_case_ids

    cases = Case.objects.visible_to(user)
    cases = cases.filter(pk=case.pk) if case is not None else cases.filter(pk__in=followed_case_ids(user=user))
    by_case = {c.pk: CaseChanges(c) for c in cases.select_related("lead")}
    if not by_case:
        return []
    ids = list(by_case)
    show_sensitive = sees_sensitive(user) and not for_email

    def add(case_id, at, text):
        by_case[case_id].lines.append((at, text))

    # Request updates: "Request “medicine” for Paek Kwang Hyok: stated → stalled (March 2026)".
    update_ids = {obj: at for at, obj in _inserted("casework", "RequestUpdate", since, {"request__case__in": ids})}
    for update in RequestUpdate.objects.filter(pk__in=update_ids).select_related("request__person", "source"):
        add(
            update.request.case_id,
            update_ids[update.pk],
            gettext("Request “%(category)s” for %(person)s: %(move)s (%(when)s)")
            % {
                "category": update.request.get_category_display(),
                "person": update.request.person,
                "move": render(status_move(update)),
                "when": update.occurred,
            },
        )
    # Positions: "Ukraine's position on Ri Jong Chol's transfer: unknown → conditional (source: Yonhap, 21 Nov 2026)".
    statement_ids = {
        obj: at for at, obj in _inserted("casework", "PositionStatement", since, {"involvement__case__in": ids})
    }
    statements = PositionStatement.objects.filter(pk__in=statement_ids).select_related(
        "involvement__government", "request__person", "source"
    )
    for statement in statements:
        previous = (
            PositionStatement.objects.filter(involvement=statement.involvement_id, request_id=statement.request_id)
            .exclude(pk=statement.pk)
            .filter(created_at__lt=statement.created_at)
            .order_by("-created_at", "-id")
            .first()
        )
        stance = statement.get_stance_display()
        stance = f"{previous.get_stance_display()} → {stance}" if previous else stance
        when = str(statement.stated)
        if statement.source_id:
            when = gettext("source: %(source)s, %(when)s") % {
                "source": statement.source.publisher or statement.source.title,
                "when": when,
            }
        parts = {"government": statement.involvement.government, "stance": stance, "when": when}
        if statement.request_id:
            sentence = gettext("%(government)s's position on %(person)s's %(category)s: %(stance)s (%(when)s)") % {
                **parts,
                "person": statement.request.person,
                "category": statement.request.get_category_display(),
            }
        else:
            sentence = gettext("%(government)s's position on the case: %(stance)s (%(when)s)") % parts
        add(statement.involvement.case_id, statement_ids[statement.pk], sentence)
    # Events, sensitive ones only for those who may see them, never by e-mail.
    event_ids = {obj: at for at, obj in _inserted("events", "Event", since, {"case__in": ids})}
    events = Event.objects.visible_to(user).filter(pk__in=event_ids)
    if not show_sensitive:
        events = events.exclude(sensitivity=Sensitivity.SENSITIVE)
    for event in events:
        add(
            event.case_id,
            event_ids[event.pk],
            f"{event.get_kind_display().capitalize()}: {event.title} ({event.occurred})",
        )
    # A case's status.
    for at, case_id, old, new in _status_changes("casework", "Case", since, ids):
        add(
            case_id,
            at,
            gettext("Case status: %(old)s → %(new)s") % {"old": CaseStatus(old).label, "new": CaseStatus(new).label},
        )
    # A person's status (not sensitive), for each case they are in.
    people = Person.objects.filter(case_subjects__case__in=ids).values_list("pk", "case_subjects__case_id")
    cases_of: dict[int, list[int]] = {}
    for person_id, case_id in people:
        cases_of.setdefault(person_id, []).append(case_id)
    names = dict(Person.objects.filter(pk__in=cases_of).values_list("pk", "display_name"))
    for at, person_id, old, new in _status_changes("people", "Person", since, list(cases_of)):
        for case_id in cases_of[person_id]:
            add(case_id, at, f"{names[person_id]}: {PersonStatus(old).label} → {PersonStatus(new).label}")
    # Requests idle past the stalled threshold, as of now.
    today = timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.VIGIL_STALLED_AFTER_DAYS)
    from casework.models import StatedRequest

    idle = (
        StatedRequest.objects.filter(case__in=ids, last_moved_on__lt=cutoff)
        .exclude(status__in=SETTLED_REQUEST_STATUSES)
        .select_related("person")
    )
    for request in idle:
        days = (today - request.last_moved_on).days
        add(
            request.case_id,
            timezone.now(),
            ngettext(
                "Request “%(category)s” for %(person)s: stalled for %(days)s day",
                "Request “%(category)s” for %(person)s: stalled for %(days)s days",
                days,
            )
            % {"category": request.get_category_display(), "person": request.person, "days": days},
        )
    return [changes for changes in by_case.values() if changes.lines]


def digest_email(*, user, since: datetime.datetime) -> EmailMessage | None:
    """The digest e-mail, its times in the user's own time zone (named) and language."""
    with override_for(user):
        return _digest_email(user=user, since=since)


def _digest_email(*, user, since: datetime.datetime) -> EmailMessage | None:
    groups = changes_since(user=user, since=since, for_email=True)
    if not groups or not user.email:
        return None
    parts = [gettext("What changed in the cases you follow since %(since)s:") % {"since": local_time(since)} + "\n"]
    for group in groups:
        if group.restricted:
            parts.append(
                gettext("A restricted case you follow")
                + "\n  "
                + gettext("There is news in a restricted case you follow. Sign in to read it.")
                + "\n"
            )
            continue
        parts.append(f"{group.case}\n" + "".join(f"  - {line}\n" for line in group.sentences))
    page = absolute(reverse("watch:changes") + f"?since={timezone.localdate(since).isoformat()}")
    unsubscribe = absolute(reverse("watch:unsubscribe", args=[unsubscribe_token(user=user, trigger="digest")]))
    parts.append(
        "\n"
        + gettext("The same, printable: %(url)s") % {"url": page}
        + "\n"
        + gettext("Stop the digest: %(url)s") % {"url": unsubscribe}
        + "\n"
    )
    return EmailMessage(
        subject=gettext("Vigil: what changed in the cases you follow"),
        body="\n".join(parts),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=unsubscribe_headers(unsubscribe),
    )


def digest_due(watch, now: datetime.datetime) -> datetime.datetime | None:
    """The start of the period a due digest covers, or None when none is due."""
    period = {DigestFrequency.DAILY: 1, DigestFrequency.WEEKLY: 7}.get(watch.digest)
    if period is None:
        return None
    if watch.digest == DigestFrequency.WEEKLY and timezone.localtime(now, time_zone_for(watch.user)).weekday() != 0:
        return None
    last = watch.last_digest_at or (now - datetime.timedelta(days=period))
    if now - last < datetime.timedelta(days=period) - datetime.timedelta(minutes=30):
        return None
    return last


def send_due_digests(*, now: datetime.datetime | None = None) -> int:
    from watch.models import WatchSettings

    now = now or timezone.now()
    sent = 0
    watches = list(WatchSettings.objects.exclude(digest=DigestFrequency.OFF).select_related("user"))
    load_preferences([watch.user for watch in watches])  # each on their own clock, in one query
    for watch in watches:
        since = digest_due(watch, now)
        if since is None or watch.quiet_hours_end(now) or not watch.user.is_active:
            continue
        with transaction.atomic():
            locked = WatchSettings.objects.select_for_update(skip_locked=True).filter(pk=watch.pk).first()
            if locked is None or locked.last_digest_at != watch.last_digest_at:
                continue  # another worker is on it, or did it
            message = digest_email(user=watch.user, since=since)
            if message is not None:
                message.send()
                sent += 1
            locked.last_digest_at = now
            locked.save(update_fields=["last_digest_at"])
    return sent
