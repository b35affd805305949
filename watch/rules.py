"""The forced-return watch: the rules that raise an urgent alert.

Each rule is a function named after what it watches for; docs/watch.md says
the same in words for advocates. A rule returns the alerts to raise as
``Finding``s; ``watch.notify`` raises each once (its ``key``) and tells the
case lead, the team and the data managers at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.models import (
    Case,
    CaseStatus,
    GovernmentRole,
    Involvement,
    PositionStatement,
    RequestCategory,
    RequestStatus,
    Stance,
    StatedRequest,
)
from events.models import Event, EventKind
from people.models import Person, RiskLevel
from watch.models.choices import AlertRule
from watch.phrases import choice, fuzzy, phrase

# Requests that say "do not send me back".
PROTECTIVE_CATEGORIES = (RequestCategory.NON_RETURN, RequestCategory.ASYLUM, RequestCategory.TRANSFER)
# A protective request counts until it is granted or withdrawn (a denied one still says what the person wants).
CLOSED_STATUSES = (RequestStatus.GRANTED, RequestStatus.WITHDRAWN)
MOVING_EVENTS = (EventKind.REPATRIATION, EventKind.TRANSFER, EventKind.EXCHANGE, EventKind.RELEASE)
TOWARD_RETURN = (Stance.OPPOSES, Stance.DENIES)
# How far a stance is from supporting the person's request: a statement further than the last one moves toward return.
STANCE_DISTANCE = {
    Stance.SUPPORTS: 0,
    Stance.CONDITIONAL: 1,
    Stance.ASKS_FOR_INFORMATION: 2,
    Stance.NO_RESPONSE: 3,
    Stance.UNKNOWN: 3,
    Stance.OPPOSES: 4,
    Stance.DENIES: 4,
}
HIGH_RISK = (RiskLevel.HIGH, RiskLevel.EXTREME)


@dataclass(frozen=True)
class Finding:
    rule: str
    key: str
    case: Case
    person: Person | None
    summary: dict  # a phrase (watch.phrases)
    sensitive: bool = False


def protected_people(case: Case) -> list[Person]:
    """The people in ``case`` who asked not to be returned (an open non-return,
    asylum or transfer request)."""
    ids = (
        StatedRequest.objects.filter(case=case, category__in=PROTECTIVE_CATEGORIES)
        .exclude(status__in=CLOSED_STATUSES)
        .values("person_id")
    )
    return list(Person.objects.filter(pk__in=ids))


def moved_while_protected(event: Event) -> list[Finding]:
    """A repatriation, transfer, exchange or release recorded for someone who asked not to be returned."""
    if event.kind not in MOVING_EVENTS:
        return []
    protected = protected_people(event.case)
    named = set(event.people.values_list("pk", flat=True))
    concerned = [person for person in protected if not named or person.pk in named]
    return [
        Finding(
            AlertRule.MOVED_WHILE_PROTECTED,
            f"moved:{event.pk}:{person.pk}",
            event.case,
            person,
            phrase(
                "moved-while-protected",
                kind=choice("event_kind", event.kind, capfirst=True),
                person=str(person),
                when=fuzzy(event.occurred),
            ),
        )
        for person in concerned
    ]


def detaining_state_toward_return(statement: PositionStatement) -> list[Finding]:
    """A detaining state's new position on someone who asked not to be returned
    opposes or denies it, or stands further from it than its last one."""
    involvement = statement.involvement
    if involvement.role != GovernmentRole.DETAINING_STATE:
        return []
    if statement.request_id is not None and statement.request.category not in PROTECTIVE_CATEGORIES:
        return []
    people = [statement.request.person] if statement.request_id else protected_people(involvement.case)
    if statement.request_id is not None and statement.request.person not in protected_people(involvement.case):
        people = []
    if not people:
        return []
    previous = (
        PositionStatement.objects.filter(involvement=involvement, request_id=statement.request_id)
        .exclude(pk=statement.pk)
        .filter(created_at__lte=statement.created_at)
        .order_by("-stated_on", "-created_at", "-id")
        .first()
    )
    moved = statement.stance in TOWARD_RETURN or (
        previous is not None and STANCE_DISTANCE[statement.stance] > STANCE_DISTANCE[previous.stance]
    )
    if not moved:
        return []
    stance = choice("stance", statement.stance)
    said = {"government": str(involvement.government), "stance": stance}
    if previous is not None:
        said["was"] = choice("stance", previous.stance)
    return [
        Finding(
            AlertRule.DETAINING_STATE_TOWARD_RETURN,
            f"position:{statement.pk}:{person.pk}",
            involvement.case,
            person,
            phrase("toward-return-from" if previous else "toward-return", person=str(person), **said),
        )
        for person in people
    ]


def risk_raised(person: Person, previous_level: str | None) -> list[Finding]:
    """A person's risk if returned raised to high or extreme."""
    if person.risk_level not in HIGH_RISK or previous_level == person.risk_level:
        return []
    if previous_level in HIGH_RISK and previous_level == RiskLevel.EXTREME:
        return []  # lowered from extreme to high: not a raise
    cases = Case.objects.filter(subjects__person=person).exclude(status=CaseStatus.CLOSED).distinct()
    return [
        Finding(
            AlertRule.RISK_RAISED,
            f"risk:{person.pk}:{person.risk_level}:{person.version}:{case.pk}",
            case,
            person,
            phrase("risk-raised", person=str(person), level=choice("risk_level", person.risk_level)),
            sensitive=True,  # the risk assessment is a sensitive field
        )
        for case in cases
    ]


def exchange_by_detaining_state(event: Event) -> list[Finding]:
    """A prisoner-exchange event naming a government that detains someone in an open case."""
    if event.kind != EventKind.EXCHANGE:
        return []
    governments = list(event.governments.all())
    if not governments:
        return []
    involvements = (
        Involvement.objects.filter(government__in=governments, role=GovernmentRole.DETAINING_STATE)
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case", "government")
    )
    return [
        Finding(
            AlertRule.EXCHANGE_BY_DETAINING_STATE,
            f"exchange:{event.pk}:{involvement.case_id}",
            involvement.case,
            None,
            phrase("exchange-by-detaining-state", government=str(involvement.government)),
        )
        for involvement in involvements
    ]
