"""Reads for the dashboard's pages that join several apps: one selector per page, called once by its
view, returning a dataclass of everything the page shows. Each starts from ``visible_to(user)`` (or
from a record the caller found through it) and makes a fixed number of queries whatever the sizes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F
from django.shortcuts import get_object_or_404

from casework.models import CaseSubject, StatedRequest
from core.exposure import redact
from events.models import Event
from people.models import Detention, Person, PersonIdentifier, PersonName


@dataclass
class PersonPage:
    """A person, what they are called and where they are held, the cases they are in, their requests and
    the events about them, as one user may see them."""

    person: Person
    names: list[PersonName]
    identifiers: list[PersonIdentifier]
    detentions: list[Detention]
    subjects: list[CaseSubject]
    requests: list[StatedRequest]
    events: list[Event]


def person_page(*, pk: int, user) -> PersonPage:
    """The person page of person ``pk`` (404 unless ``user`` may see them). Seven queries."""
    person = get_object_or_404(Person.objects.visible_to(user).select_related("depends_on"), pk=pk)
    redact(person, user)  # what the user may not read is blank (core/exposure/)
    # visible_to() leaves out what is sensitive (service numbers, welfare incidents) for those not allowed.
    identifiers = PersonIdentifier.objects.visible_to(user).filter(person=person).order_by("kind", "value")
    events = Event.objects.visible_to(user).filter(event_people__person=person)
    return PersonPage(
        person=person,
        names=list(person.names.order_by("kind", "name")),
        identifiers=list(identifiers),
        detentions=list(
            Detention.objects.filter(person=person)
            .select_related("authority")
            .order_by(F("started_on").desc(nulls_last=True), "-id")
        ),
        subjects=list(
            CaseSubject.objects.visible_to(user)
            .filter(person=person)
            .select_related("case")
            .order_by("-case__opened_on")
        ),
        requests=list(
            StatedRequest.objects.visible_to(user)
            .filter(person=person)
            .select_related("case", "addressed_to")
            .order_by("first_stated_on", "id")
        ),
        events=list(events.select_related("case").order_by(F("occurred_on").asc(nulls_last=True), "id")),
    )
