"""From what happened to who should know.

``process_changes`` reads the change log (every write, whatever its path:
admin, API, dashboard, a command) from where it last stopped, follows the
cases for their lead, team and editors, notifies the followers of each change,
and runs the forced-return rules. ``check_due`` notices what time alone brings:
follow-ups falling due, requests going stalled. ``escalate_alerts`` escalates
alerts nobody acknowledged. Each is idempotent (notifications and alerts have
keys), so a job run twice changes nothing the second time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from casework.models import (
    SETTLED_REQUEST_STATUSES,
    Case,
    Confidentiality,
    FollowUp,
    PositionStatement,
    RequestStatus,
    RequestUpdate,
    StatedRequest,
)
from events.models import Event, Sensitivity
from people.models import Person
from watch import rules, services
from watch.alerting import escalate_alerts, raise_alerts, tell_about_alert  # noqa: F401 (watch.tasks, tests)
from watch.changes import Position, cursor_for, position_of, read_after
from watch.models import Follow
from watch.models.choices import FollowReason, Trigger
from watch.phrases import choice, day, fuzzy, phrase
from watch.selectors import case_followers

NOTIFIER = "notifier"
BATCH = 500


def _users(ids) -> dict[int, object]:
    return {user.pk: user for user in get_user_model().objects.filter(pk__in=[i for i in ids if i])}


def process_changes(*, limit: int = BATCH) -> int:
    """Handle the next batch of changes; returns how many (0: caught up)."""
    with transaction.atomic():
        cursor = cursor_for(NOTIFIER)
        changes = read_after(Position(cursor.seq), limit=limit)
        if not changes:
            return 0
        actors = _users({c.actor_id for c in changes} | {c.user_id for c in changes})
        for change in changes:
            try:
                with transaction.atomic():  # a savepoint: one change that fails does not hold back the rest
                    handle_change(change, actors)
            except Exception as error:
                _keep_failure(change, error)
        last = position_of(changes[-1])
        cursor.seq = last.seq
        cursor.save(update_fields=["seq"])
        return len(changes)


def _keep_failure(change, error: Exception) -> None:
    """Record a change the notifier could not handle, for the data managers (admin, Job failures)."""
    import traceback

    from watch.models import JobFailure

    JobFailure.objects.create(
        job_id=0,
        task_name="watch.process_changes",
        args={"change": change.pk, "table": change.table, "object_id": change.object_id, "op": change.op},
        attempt=1,
        error=f"{type(error).__name__}: {error}"[:5000],
        traceback="".join(traceback.format_exception(error))[-20000:],
    )


def handle_change(change, users: dict) -> None:
    handler = HANDLERS.get((change.table, change.op)) or HANDLERS.get((change.table, "*"))
    case = Case.objects.filter(pk=change.case_id).first() if change.case_id else None
    if case is not None and change.actor_id in users:
        services.follow_case(case=case, user=users[change.actor_id], reason=FollowReason.EDITOR)
    if handler is not None:
        handler(change, case, users)


def _case_lead_follows(change, case, users) -> None:
    if case is not None and case.lead_id:
        services.follow_case(case=case, user=case.lead, reason=FollowReason.LEAD)


def _team_added(change, case, users) -> None:
    member = users.get(change.user_id)
    if case is None or member is None:
        return
    services.follow_case(case=case, user=member, reason=FollowReason.TEAM)
    if case.confidentiality == Confidentiality.RESTRICTED:
        services.notify(
            user=member,
            trigger=Trigger.TEAM,
            key=f"team-added:{change.object_id}",
            case=case,
            text=phrase("team-added", case=str(case)),
            url=case.get_absolute_url(),
        )


def _team_removed(change, case, users) -> None:
    member = users.get(change.user_id)
    if member is None:
        return
    if case is not None and case.confidentiality != Confidentiality.RESTRICTED:
        return
    # They may no longer see the case: the notification names nothing of it.
    services.notify(
        user=member,
        trigger=Trigger.TEAM,
        key=f"team-removed:{change.object_id}",
        text=phrase("team-removed"),
    )


def _follow_up(change, case, users) -> None:
    follow_up = FollowUp.objects.select_related("case").filter(pk=change.object_id).first()
    if follow_up is None or follow_up.assignee_id is None or follow_up.done_at is not None:
        return
    assignee = users.get(follow_up.assignee_id) or follow_up.assignee
    if change.actor_id == assignee.pk:
        return  # assigned it to themselves
    services.notify(
        user=assignee,
        trigger=Trigger.FOLLOW_UP_ASSIGNED,
        key=f"follow-up-assigned:{follow_up.pk}:{assignee.pk}",
        case=follow_up.case,
        text=phrase("follow-up-assigned", case=str(follow_up.case), title=follow_up.title, due=day(follow_up.due_on)),
        url=follow_up.case.get_absolute_url(),
    )


def _request_update(change, case, users) -> None:
    update = (
        RequestUpdate.objects.select_related("request__person", "request__case").filter(pk=change.object_id).first()
    )
    if update is None:
        return
    request = update.request
    stalled = update.status == RequestStatus.STALLED
    services.notify_many(
        user=users.get(change.actor_id),
        users=case_followers(case=request.case),
        trigger=Trigger.REQUEST_STALLED if stalled else Trigger.REQUEST_STATUS,
        key=f"request-update:{update.pk}",
        case=request.case,
        text=phrase(
            "request-update",
            category=choice("request_category", request.category),
            person=str(request.person),
            move=status_move(update),
            when=fuzzy(update.occurred),
        ),
        url=request.case.get_absolute_url(),
    )


def status_move(update: RequestUpdate) -> dict:
    """ "stated → stalled", or "reaffirmed (stated)" when the status stayed (a phrase)."""
    now = choice("request_status", update.status)
    if update.previous_status == update.status:
        return phrase("status-reaffirmed", status=now)
    was = choice("request_status", update.previous_status) if update.previous_status else phrase("status-new")
    return phrase("status-move", was=was, now=now)


def _position(change, case, users) -> None:
    statement = (
        PositionStatement.objects.select_related(
            "involvement__government", "involvement__case", "request__person", "source"
        )
        .filter(pk=change.object_id)
        .first()
    )
    if statement is None:
        return
    case = statement.involvement.case
    said = {
        "government": str(statement.involvement.government),
        "stance": choice("stance", statement.stance),
        "when": fuzzy(statement.stated),
    }
    code = "position"
    if statement.request_id:
        code = "position-on"
        said.update(
            person=str(statement.request.person), category=choice("request_category", statement.request.category)
        )
    if statement.source_id:
        code, said["source"] = f"{code}-source", str(statement.source)
    services.notify_many(
        user=users.get(change.actor_id),
        users=case_followers(case=case),
        trigger=Trigger.POSITION,
        key=f"position:{statement.pk}",
        case=case,
        text=phrase(code, **said),
        url=case.get_absolute_url(),
    )
    raise_alerts(rules.detaining_state_toward_return(statement))


def _event(change, case, users) -> None:
    event = Event.objects.select_related("case").filter(pk=change.object_id).first()
    if event is None:
        return
    sensitive = event.sensitivity == Sensitivity.SENSITIVE
    followers = case_followers(case=event.case)
    if sensitive:  # only for those who may see sensitive events
        followers = [user for user in followers if Event.objects.visible_to(user).filter(pk=event.pk).exists()]
    services.notify_many(
        user=users.get(change.actor_id),
        users=followers,
        trigger=Trigger.CASE_EVENT,
        key=f"event:{event.pk}",
        case=event.case,
        text=phrase(
            "case-event",
            case=str(event.case),
            kind=choice("event_kind", event.kind),
            title=event.title,
            when=fuzzy(event.occurred),
        ),
        url=event.case.get_absolute_url(),
        sensitive=sensitive,
    )
    raise_alerts(rules.moved_while_protected(event) + rules.exchange_by_detaining_state(event))


def _person(change, case, users) -> None:
    person = Person.objects.filter(pk=change.object_id).first()
    if person is None:
        return
    history = list(person.history.order_by("-pgh_id").values_list("risk_level", flat=True)[:2])
    previous = history[1] if len(history) > 1 else None
    if change.op == "I":
        previous = None
    raise_alerts(rules.risk_raised(person, previous))


HANDLERS = {
    ("casework_case", "*"): _case_lead_follows,
    ("casework_casemember", "I"): _team_added,
    ("casework_casemember", "D"): _team_removed,
    ("casework_followup", "I"): _follow_up,
    ("casework_followup", "U"): _follow_up,
    ("casework_requestupdate", "I"): _request_update,
    ("casework_positionstatement", "I"): _position,
    ("events_event", "I"): _event,
    ("people_person", "*"): _person,
}


# --------------------------------------------------------------------- alerts (watch.alerting)

# ---------------------------------------------------------------- what time brings


@transaction.atomic
def check_due(*, today: datetime.date | None = None) -> int:
    """Follow-ups falling due (to their assignee, or the case lead) and requests
    going stalled (to the case's followers)."""
    today = today or timezone.localdate()
    count = 0
    due = FollowUp.objects.filter(done_at__isnull=True, due_on__lte=today).select_related(
        "case", "assignee", "case__lead"
    )
    for follow_up in due:
        user = follow_up.assignee or follow_up.case.lead
        if user is None:
            continue
        if not Case.objects.visible_to(user).filter(pk=follow_up.case_id).exists():
            continue
        count += bool(
            services.notify(
                user=user,
                trigger=Trigger.FOLLOW_UP_DUE,
                key=f"follow-up-due:{follow_up.pk}:{follow_up.due_on}",
                case=follow_up.case,
                text=phrase(
                    "follow-up-due", due=day(follow_up.due_on), case=str(follow_up.case), title=follow_up.title
                ),
                url=follow_up.case.get_absolute_url(),
            )
        )
    cutoff = today - datetime.timedelta(days=settings.VIGIL_STALLED_AFTER_DAYS)
    idle = (
        StatedRequest.objects.exclude(status__in=SETTLED_REQUEST_STATUSES)
        .exclude(status=RequestStatus.STALLED)
        .filter(last_moved_on__lt=cutoff, case__in=Follow.objects.filter(active=True).values("case_id"))
        .select_related("case", "person")
    )
    for request in idle:
        days = (today - request.last_moved_on).days
        for user in case_followers(case=request.case):
            count += bool(
                services.notify(
                    user=user,
                    trigger=Trigger.REQUEST_STALLED,
                    key=f"stalled:{request.pk}:{request.last_moved_on}",
                    case=request.case,
                    text=phrase(
                        "request-stalled",
                        category=choice("request_category", request.category),
                        person=str(request.person),
                        days=days,
                    ),
                    url=request.case.get_absolute_url(),
                )
            )
    return count
