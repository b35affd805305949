"""The history of everything in a case, on one page: the case record, its team,
people (and their names, identifiers, detentions), requests and their updates,
governments' involvements and positions, interventions, events (and who and
which governments they concern, their citations), notes and follow-ups.

Read from the trigger-kept event tables (core/history.py), so a record deleted
since still shows what happened to it. A record the user may not see today (a
sensitive event, a service number, anything in the bin) shows nothing; a
record deleted for good shows what it held unless it was sensitive as a whole
(core.exposure.SENSITIVE_ROWS); fields the user may not read never show.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, Q
from pghistory.models import Events

from casework.models import (
    Case,
    CaseMember,
    CaseNote,
    CaseSubject,
    FollowUp,
    Intervention,
    Involvement,
    PositionStatement,
    RequestUpdate,
    StatedRequest,
)
from core.history import ReadableEvent, readable_events
from core.querysets import visible
from events.models import Citation, Event, EventGovernment, EventPerson
from people.models import Detention, Person, PersonIdentifier, PersonName


def _event_model(model: type[Model]) -> type[Model]:
    """The trigger-kept history table of ``model`` (core.history.track)."""
    return model._meta.get_field("history").related_model


def _ever(model: type[Model], condition: Q) -> set[int]:
    """Ids of every ``model`` record that ever matched ``condition`` (deleted ones too)."""
    return set(_event_model(model).objects.filter(condition).values_list("pgh_obj_id", flat=True).distinct())


#: Each part of a case, in the order they are found: the model, and its records'
#: condition given the ids found so far (``ids[Model]``).
PARTS: list[tuple[type[Model], Callable[[Case, dict], Q]]] = [
    (Case, lambda case, ids: Q(pgh_obj_id=case.pk)),
    *[
        (model, lambda case, ids: Q(case_id=case.pk))
        for model in (CaseMember, CaseSubject, StatedRequest, Involvement, Intervention, CaseNote, FollowUp, Event)
    ],
    (RequestUpdate, lambda case, ids: Q(request_id__in=ids[StatedRequest])),
    (PositionStatement, lambda case, ids: Q(involvement_id__in=ids[Involvement])),
    (Person, lambda case, ids: Q(pgh_obj_id__in=_subjects(case))),
    *[(model, lambda case, ids: Q(person_id__in=ids[Person])) for model in (PersonName, PersonIdentifier, Detention)],
    *[(model, lambda case, ids: Q(event_id__in=ids[Event])) for model in (EventPerson, EventGovernment)],
    (
        Citation,
        lambda case, ids: (
            Q(event_id__in=ids[Event])
            | Q(request_id__in=ids[StatedRequest])
            | Q(request_update_id__in=ids[RequestUpdate])
            | Q(position_id__in=ids[PositionStatement])
        ),
    ),
]


def _subjects(case: Case) -> set[int]:
    """Everyone who was ever a subject of the case."""
    return set(_event_model(CaseSubject).objects.filter(case_id=case.pk).values_list("person_id", flat=True))


def _readable_ids(model: type[Model], ids: set[int], user) -> set[int]:
    """Of ``ids``, those the user may see today, and those deleted for good since."""
    if not ids:
        return set()
    rows = model._default_manager.filter(pk__in=ids)
    existing = set(rows.values_list("pk", flat=True))
    return set(visible(rows, user).values_list("pk", flat=True)) | (ids - existing)


def case_history(case: Case, *, user, limit: int) -> list[ReadableEvent]:
    """The latest ``limit`` recorded changes of everything in ``case`` (found through
    ``visible_to(user)`` by the caller), newest first, as ``user`` may read them."""
    ids: dict[type[Model], set[int]] = {}
    events: list[ReadableEvent] = []
    for model, condition in PARTS:
        ids[model] = {int(pk) for pk in _ever(model, condition(case, ids))}
        shown = _readable_ids(model, ids[model], user)
        if not shown:
            continue
        rows = (
            Events.objects.tracks([model(pk=pk) for pk in shown])
            .across(_event_model(model))
            .order_by("-pgh_created_at", "-pgh_id")[:limit]
        )
        for event in readable_events(model, rows, user=user):
            # Every part is in this case: "Case: VIG-…" on each would only repeat the page's title.
            event.changes = [change for change in event.changes if not (model is not Case and change.label == "Case")]
            events.append(event)
    events.sort(key=lambda event: event.when, reverse=True)
    return events[:limit]
