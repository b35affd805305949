"""Writes to the timeline: an event and the sources that support it, in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from casework.models import Case
from core.dates import DatePrecision, normalise
from events.models import Citation, Confidence, Event, EventGovernment, EventPerson, Sensitivity, Source


@dataclass(frozen=True)
class CitedSource:
    """A source supporting a fact, with where in it and how sure we are."""

    source: Source
    locator: str = ""
    confidence: str = Confidence.PROBABLE


@transaction.atomic
def event_record(
    *,
    case: Case,
    kind: str,
    title: str,
    occurred_on: datetime.date | None,
    occurred_on_precision: str = DatePrecision.DAY,
    description: str = "",
    place: str = "",
    country: str = "",
    sensitivity: str = Sensitivity.NORMAL,
    people: Iterable = (),
    governments: Iterable = (),
    sources: Iterable[CitedSource] = (),
) -> Event:
    """Add an event to a case's timeline with the people and governments it
    concerns and the sources it rests on. Either all of it is saved or none."""
    event = Event(
        case=case,
        kind=kind,
        title=title,
        occurred_on=normalise(occurred_on, occurred_on_precision),
        occurred_on_precision=occurred_on_precision,
        description=description,
        place=place,
        country=country,
        sensitivity=sensitivity,
    )
    event.full_clean(exclude=["case"])
    event.save()
    EventPerson.objects.bulk_create(EventPerson(event=event, person=person) for person in people)
    EventGovernment.objects.bulk_create(
        EventGovernment(event=event, government=government) for government in governments
    )
    for cited in sources:
        citation = Citation(event=event, source=cited.source, locator=cited.locator, confidence=cited.confidence)
        citation.full_clean(exclude=["event", "source"])
        citation.save()
    return event
