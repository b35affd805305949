"""The events of a case's timeline and who took part in them."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DateField, F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.dates import FuzzyDateAttribute, fuzzy_date_constraints, fuzzy_date_fields
from core.history import track
from core.models import BinnableModel, CleanCheck, TextTranslation, Translatable, VigilModel, versioned
from events.models.choices import Confidence, EventKind, Sensitivity
from events.querysets import EventQuerySet


def sort_date() -> Coalesce:
    """An event's date for ordering: unknown dates last (the events list's cursor key)."""
    return Coalesce("occurred_on", Value(datetime.date.max), output_field=DateField())


@track
@versioned
class Event(Translatable, BinnableModel, VigilModel):
    """Something that happened in a case, dated as precisely as it is known."""

    translatable_fields = {"title": "language", "description": "language"}
    case_path = "case"
    event_path = ""
    bin_paths = ("", "case")
    fuzzy_dates = past_dates = ("occurred_on",)

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    occurred_on, occurred_on_precision = fuzzy_date_fields(_("happened on"))
    occurred = FuzzyDateAttribute("occurred_on")
    kind = models.CharField(max_length=20, choices=EventKind.choices, verbose_name=_("kind"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_('The title\'s and description\'s language, BCP 47: "ko", "uk".'),
    )
    translations = GenericRelation(TextTranslation, related_query_name="event")
    place = models.CharField(
        max_length=200, blank=True, help_text=_('"Kursk region", "a facility near Kyiv".'), verbose_name=_("place")
    )
    country = CountryField(blank=True, verbose_name=_("country"))
    people = models.ManyToManyField(
        "people.Person", through="EventPerson", related_name="events", blank=True, verbose_name=_("people")
    )
    governments = models.ManyToManyField(
        "casework.Government",
        through="EventGovernment",
        related_name="events",
        blank=True,
        verbose_name=_("governments"),
    )
    actors = models.ManyToManyField(
        "casework.Actor", through="EventActor", related_name="events", blank=True, verbose_name=_("actors")
    )
    interpretation = models.TextField(
        blank=True,
        help_text=_(
            'What an observation may mean, every reading named: "continued loyalty, or fear of repercussions".'
        ),
        verbose_name=_("interpretation"),
    )
    interpretation_confidence = models.CharField(
        _("confidence in the interpretation"), max_length=9, choices=Confidence.choices, blank=True
    )
    sensitivity = models.CharField(
        max_length=9,
        choices=Sensitivity.choices,
        default=Sensitivity.NORMAL,
        help_text=_("Sensitive: shown only to those allowed to see health and welfare details."),
        verbose_name=_("sensitivity"),
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("description", "place", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("search vector"),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = [F("occurred_on").asc(nulls_last=True), "id"]
        constraints = [
            *fuzzy_date_constraints("occurred_on", "event", past=True),
            CleanCheck(  # clean() says which field is missing
                name="event_observation_is_interpreted",
                condition=~Q(kind="observation") | (~Q(interpretation="") & ~Q(interpretation_confidence="")),
                violation_error_message="An observation says what it may mean and how sure that reading is.",
            ),
            CleanCheck(
                name="event_interpretation_has_confidence",
                condition=Q(interpretation="") | ~Q(interpretation_confidence=""),
                violation_error_message="Say how sure the interpretation is.",
            ),
        ]
        indexes = [
            # A case's timeline in date order; events?case=…
            models.Index(fields=["case", "occurred_on", "id"], name="event_case_date_idx"),
            # A case's timeline page (events.timeline.page) and events?case=…: in the page's order
            # (unknown dates last), walked from the cursor and stopped at the page's size.
            models.Index(F("case"), sort_date(), F("id"), name="event_case_sort_idx"),
            # events?kind=… newest first, and the dashboard's latest events.
            models.Index(fields=["kind", "occurred_on"], name="event_kind_date_idx"),
            # Full-text search on events (?search=).
            GinIndex(fields=["search_vector"], name="event_search_gin"),
            # The events list's cursor pages (api: ORDER BY sort_date, id): walked in order,
            # also under a ?search= that matches many events.
            models.Index(sort_date(), F("id"), name="event_sort_date_idx"),
            # The dashboard home's latest events, newest first (dashboard.selectors.latest_events).
            models.Index(
                F("occurred_on").desc(nulls_last=True), F("created_at").desc(), F("id").desc(), name="event_newest_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("admin:events_event_change", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.kind == EventKind.OBSERVATION and not self.interpretation:
            errors["interpretation"] = _("Say what this observation may mean: every reading.")
        if (self.interpretation or self.kind == EventKind.OBSERVATION) and not self.interpretation_confidence:
            errors["interpretation_confidence"] = _("Say how sure that reading is.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_sensitive(self) -> bool:
        return self.sensitivity == Sensitivity.SENSITIVE or self.kind == EventKind.WELFARE_INCIDENT


@track
@versioned
class EventPerson(VigilModel):
    """A person an event concerns."""

    case_path = "event__case"
    event_path = "event"
    bin_paths = ("event", "event__case", "person")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_people", verbose_name=_("event"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="event_links", verbose_name=_("person")
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("person concerned")
        verbose_name_plural = _("people concerned")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                name="eventperson_unique",
                violation_error_message="This person is already linked to this event.",
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


@track
@versioned
class EventGovernment(VigilModel):
    """A government an event involves."""

    case_path = "event__case"
    event_path = "event"
    bin_paths = ("event", "event__case")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="event_governments", verbose_name=_("event")
    )
    government = models.ForeignKey(
        "casework.Government", on_delete=models.CASCADE, related_name="event_links", verbose_name=_("government")
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("government involved")
        verbose_name_plural = _("governments involved")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "government"],
                name="eventgovernment_unique",
                violation_error_message="This government is already linked to this event.",
            )
        ]

    def __str__(self) -> str:
        return str(self.government)


@track
@versioned
class EventActor(VigilModel):
    """An actor at an event (an organisation or a person other than a government), and
    their part in it: "met them", "relayed the request", "released the photos"."""

    case_path = "event__case"
    event_path = "event"
    bin_paths = ("event", "event__case")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_actors", verbose_name=_("event"))
    actor = models.ForeignKey(
        "casework.Actor", on_delete=models.PROTECT, related_name="event_links", verbose_name=_("actor")
    )
    part = models.CharField(
        _("their part"), max_length=200, blank=True, help_text=_('"met them", "relayed the request".')
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("actor present")
        verbose_name_plural = _("actors present")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor"],
                name="eventactor_unique",
                violation_error_message="This actor is already linked to this event.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.part})" if self.part else str(self.actor)
