"""Writes to the timeline: an event and the sources that support it, in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext

from casework.models import Case
from core.dates import DatePrecision, normalise
from core.internals import set_prefetched
from events.models import (
    Citation,
    Confidence,
    Event,
    EventActor,
    EventGovernment,
    EventPerson,
    Sensitivity,
    Source,
)


@dataclass(frozen=True)
class CitedSource:
    """A source supporting a fact, with where in it and how sure we are."""

    source: Source
    locator: str = ""
    confidence: str = Confidence.PROBABLE


@transaction.atomic
def event_record(
    *,
    user,
    case: Case,
    kind: str,
    title: str,
    occurred_on: datetime.date | None,
    occurred_on_precision: str = DatePrecision.DAY,
    description: str = "",
    language: str = "",
    place: str = "",
    country: str = "",
    sensitivity: str = Sensitivity.NORMAL,
    people: Iterable = (),
    governments: Iterable = (),
    actors: Iterable = (),
    interpretation: str = "",
    interpretation_confidence: str = "",
    sources: Iterable[CitedSource] = (),
) -> Event:
    """Add an event to a case's timeline with the people and governments it
    concerns, the actors present (``actors``: Actor, or ``(actor, part)`` pairs:
    "met them", "relayed the request"), what an observation may mean
    (``interpretation`` and its ``interpretation_confidence``) and the sources it
    rests on. Either all of it is saved or none. ``user`` records it (None: a loader, nobody); history
    names them from the request's context (core.history), as for every write."""
    event = Event(
        case=case,
        kind=kind,
        title=title,
        occurred_on=normalise(occurred_on, occurred_on_precision),
        occurred_on_precision=occurred_on_precision,
        description=description,
        language=language,
        place=place,
        country=country,
        sensitivity=sensitivity,
        interpretation=interpretation,
        interpretation_confidence=interpretation_confidence,
    )
    event.full_clean(exclude=["case"])
    event.save()
    people, governments = list(people), list(governments)
    present = {}  # one link per actor, its part as last given
    for actor, part in (item if isinstance(item, tuple) else (item, "") for item in actors):
        present[actor.pk] = EventActor(event=event, actor=actor, part=part)
    EventActor.objects.bulk_create(present.values())
    EventPerson.objects.bulk_create(EventPerson(event=event, person=person) for person in people)
    EventGovernment.objects.bulk_create(
        EventGovernment(event=event, government=government) for government in governments
    )
    citations = []
    for cited in sources:
        citation = Citation(event=event, source=cited.source, locator=cited.locator, confidence=cited.confidence)
        citation.full_clean(exclude=["event", "source"])
        citation.save()
        citations.append(citation)
    # The event as written, with what it links to: whoever shows it next (the API's answer)
    # reads these, not the database again.
    set_prefetched(
        event, people=people, governments=governments, citations=citations, event_actors=list(present.values())
    )
    return event


# ---------------------------------------------------------------- a development


@dataclass
class Development:
    """What one piece of news added to a case, in one transaction."""

    source: Source | None = None
    event: Event | None = None
    positions: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    follow_up: object = None

    def describe(self) -> str:
        """In words, for the success message: what was recorded, and for whom."""
        parts = []
        if self.event is not None:
            parts.append(
                gettext("the event “%(title)s” (%(when)s)") % {"title": self.event.title, "when": self.event.occurred}
            )
        if self.positions:
            first = self.positions[0]
            on = ", ".join(p.request.person.display_name for p in self.positions if p.request_id) or gettext("the case")
            parts.append(
                gettext("%(government)s: %(stance)s on %(on)s (%(when)s)")
                % {
                    "government": first.involvement.government,
                    "stance": first.get_stance_display(),
                    "on": on,
                    "when": first.stated,
                }
            )
        if self.updates:
            first = self.updates[0]
            people = ", ".join(u.request.person.display_name for u in self.updates)
            parts.append(
                gettext("%(status)s for %(people)s (%(when)s)")
                % {"status": first.get_status_display(), "people": people, "when": first.occurred}
            )
        if self.follow_up is not None:
            parts.append(
                gettext("the follow-up “%(title)s” (due %(due)s)")
                % {"title": self.follow_up.title, "due": date_format(self.follow_up.due_on, "j E Y")}
            )
        recorded = "; ".join(parts) or gettext("nothing but the source")
        source = " " + gettext("Source: %(title)s.") % {"title": self.source.title} if self.source is not None else ""
        return gettext("Recorded: %(what)s.") % {"what": recorded} + source


class DevelopmentInvalid(ValidationError):
    """Errors of a development, part by part and field by field: ``{"event": {"occurred_on": [...]}}``.
    Nothing was written."""

    def __init__(self, parts: dict[str, dict[str, list[str]]]):
        self.parts = parts
        super().__init__(
            {f"{part}.{name}": messages for part, fields in parts.items() for name, messages in fields.items()}
        )


PARTS = ("source", "event", "position", "updates", "follow_up")


@transaction.atomic
def development_record(
    *,
    user,
    case: Case,
    source: Source | None = None,
    new_source: dict | None = None,
    event: dict | None = None,
    position: dict | None = None,
    updates: dict | None = None,
    follow_up: dict | None = None,
) -> Development:
    """Record one piece of news about ``case`` once: its source (an existing one, or
    ``new_source``: title, kind, publisher, author (an Actor), url, published_on(+_precision), language,
    reliability), and any of: an ``event`` (``event_record``'s keywords); a
    government's ``position`` on several requests at once (``statement_record``'s:
    involvement, requests, stance, stated_on(+_precision), condition, ...); ``updates``
    of several requests to one status on one date (requests, status,
    occurred_on(+_precision), note); a ``follow_up`` (title, due_on, assignee, notes).

    Every part is checked; if any is wrong, nothing is written and
    ``DevelopmentInvalid`` says what, part by part and field by field. History
    records it all with the channel of the request (dashboard or API)."""
    from casework.models import StatedRequest
    from casework.services import follow_up_record, request_update_status, statement_record

    errors: dict[str, dict[str, list[str]]] = {}
    done = Development()

    def attempt(part: str, write):
        try:
            with transaction.atomic():  # a savepoint: a failed part leaves nothing behind
                return write()
        except ValidationError as error:
            errors[part] = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            return None

    def foreign_requests(requests) -> None:
        if any(request.case_id != case.pk for request in requests):
            raise ValidationError({"requests": gettext("Every request must belong to this case.")})

    if new_source:
        if source is not None:
            errors["source"] = {"__all__": ["Choose an existing source or describe a new one, not both."]}
        else:

            def write_source():
                made = Source(
                    **{"kind": "news_report", "reliability": "F", "published_on_precision": "day", **new_source}
                )
                made.full_clean()
                made.save()
                return made

            source = attempt("source", write_source)
    done.source = source
    cited = [CitedSource(source)] if source is not None else []

    if event:
        done.event = attempt("event", lambda: event_record(user=user, case=case, **event, sources=cited))

    if position:

        def write_position():
            requests = list(position.get("requests", ()))
            foreign_requests(requests)
            if position["involvement"].case_id != case.pk:
                raise ValidationError({"involvement": gettext("This government is not involved in this case.")})
            return statement_record(user=user, source=source, **position)

        done.positions = attempt("position", write_position) or []

    if updates:

        def write_updates():
            requests = list(updates.get("requests", ()))
            if not requests:
                raise ValidationError({"requests": gettext("Choose the requests this update is about.")})
            foreign_requests(requests)
            said = {key: value for key, value in updates.items() if key != "requests"}
            return [
                request_update_status(request=StatedRequest.objects.get(pk=r.pk), source=source, user=user, **said)
                for r in requests
            ]

        done.updates = attempt("updates", write_updates) or []

    if follow_up:
        done.follow_up = attempt("follow_up", lambda: follow_up_record(case=case, **follow_up, user=user))

    if errors:
        raise DevelopmentInvalid(errors)
    if not any((done.event, done.positions, done.updates, done.follow_up)):
        raise DevelopmentInvalid(
            {"__all__": {"__all__": ["Record at least one of: an event, a position, request updates, a follow-up."]}}
        )
    return done
