"""Sources, the events of a case's timeline, and citations tying facts to sources."""

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
from core.models import BinnableModel, CleanCheck, TextTranslation, Translatable, VigilModel, exactly_one_of, versioned
from core.tones import BAD, GOOD, INFO, MUTED, NEUTRAL, WARN, toned
from events.querysets import CITATION_CASE_PATHS, CitationQuerySet, EventQuerySet, SourceQuerySet


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", _("news report")
    NGO_STATEMENT = "ngo_statement", _("NGO statement")
    GOVERNMENT_STATEMENT = "government_statement", _("government statement")
    INTERVIEW = "interview", _("interview")
    DOCUMENT = "document", _("document")
    SOCIAL_MEDIA = "social_media", _("social media")
    OTHER = "other", _("other")


@toned("reliability", A=GOOD, B=GOOD, C=NEUTRAL, D=WARN, E=BAD, F=MUTED)
class Reliability(models.TextChoices):
    """How trusted the source has been (the Admiralty scale's letter)."""

    A = "A", _("A: completely reliable")
    B = "B", _("B: usually reliable")
    C = "C", _("C: fairly reliable")
    D = "D", _("D: not usually reliable")
    E = "E", _("E: unreliable")
    F = "F", _("F: reliability cannot be judged")


class SourceConnection(models.TextChoices):
    DETAINEE = "detainee", _("the detainee")
    WITNESS = "witness", _("witness")
    RELATIVE = "relative", _("relative")
    THIRD_PARTY = "third_party", _("third party")


@track
@versioned
class Source(Translatable, BinnableModel, VigilModel):
    """Where a fact comes from: a report, a statement, an interview, a document."""

    fuzzy_dates = past_dates = ("published_on",)
    translatable_fields = {"title": "language"}
    #: the cases a source is in, through what it supports (the view log: casework.services.shown_cases)
    case_paths = tuple(f"citations__{path}" for path in CITATION_CASE_PATHS.values())

    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    title = models.CharField(max_length=400)
    publisher = models.CharField(_("publisher / author"), max_length=200, blank=True)
    author = models.ForeignKey(
        "casework.Actor",
        verbose_name=_("author or speaker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text=_("Who wrote it or said it: an NGO's head, a journalist, a spokesperson."),
    )
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    language = models.CharField(max_length=35, blank=True, help_text=_('BCP 47 tag: "en", "ko", "uk".'))
    translations = GenericRelation(TextTranslation, related_query_name="source")
    published_on, published_on_precision = fuzzy_date_fields("published on")
    published = FuzzyDateAttribute("published_on")
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.F)
    connection = models.CharField(
        _("connection to the facts"),
        max_length=11,
        choices=SourceConnection.choices,
        default=SourceConnection.THIRD_PARTY,
    )
    notes = models.TextField(blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("publisher", "notes", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        ordering = [F("published_on").desc(nulls_last=True), "id"]
        constraints = [*fuzzy_date_constraints("published_on", "source", past=True)]
        indexes = [
            # Full-text search on sources (?search=).
            GinIndex(fields=["search_vector"], name="source_search_gin"),
        ]

    def __str__(self) -> str:
        by = f" ({self.publisher})" if self.publisher else ""
        return f"{self.title}{by}"

    def get_absolute_url(self) -> str:
        return reverse("admin:events_source_change", args=[self.pk])


class EventKind(models.TextChoices):
    CAPTURE = "capture", _("capture")
    DETENTION = "detention", _("detention")
    TRANSFER = "transfer", _("transfer")
    ICRC = "icrc", _("ICRC notification or visit")
    INTERVIEW = "interview", _("interview")
    DETAINEE_STATEMENT = "detainee_statement", _("statement by the detainee")
    REQUEST_MADE = "request_made", _("request made")
    GOVERNMENT_STATEMENT = "government_statement", _("government statement")
    DIPLOMATIC_CONTACT = "diplomatic_contact", _("diplomatic contact")
    MEDICAL = "medical", _("medical")
    WELFARE_INCIDENT = "welfare_incident", _("welfare incident")
    MEDIA_REPORT = "media_report", _("media report")
    LEGAL_STEP = "legal_step", _("legal step")
    EXCHANGE = "exchange", _("exchange")
    RELEASE = "release", _("release")
    REPATRIATION = "repatriation", _("repatriation")
    RESETTLEMENT = "resettlement", _("resettlement")
    DEATH = "death", _("death")
    OBSERVATION = "observation", _("observation of uncertain meaning")
    OTHER = "other", _("other")


@toned("confidence", confirmed=GOOD, probable=INFO, possible=NEUTRAL, doubtful=WARN)
class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    PROBABLE = "probable", _("probable")
    POSSIBLE = "possible", _("possible")
    DOUBTFUL = "doubtful", _("doubtful")


class Sensitivity(models.TextChoices):
    NORMAL = "normal", _("normal")
    SENSITIVE = "sensitive", _("sensitive")


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

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="events")
    occurred_on, occurred_on_precision = fuzzy_date_fields("happened on")
    occurred = FuzzyDateAttribute("occurred_on")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_('The title\'s and description\'s language, BCP 47: "ko", "uk".'),
    )
    translations = GenericRelation(TextTranslation, related_query_name="event")
    place = models.CharField(max_length=200, blank=True, help_text=_('"Kursk region", "a facility near Kyiv".'))
    country = CountryField(blank=True)
    people = models.ManyToManyField("people.Person", through="EventPerson", related_name="events", blank=True)
    governments = models.ManyToManyField(
        "casework.Government", through="EventGovernment", related_name="events", blank=True
    )
    actors = models.ManyToManyField("casework.Actor", through="EventActor", related_name="events", blank=True)
    interpretation = models.TextField(
        blank=True,
        help_text=_(
            'What an observation may mean, every reading named: "continued loyalty, or fear of repercussions".'
        ),
    )
    interpretation_confidence = models.CharField(
        _("confidence in the interpretation"), max_length=9, choices=Confidence.choices, blank=True
    )
    sensitivity = models.CharField(
        max_length=9,
        choices=Sensitivity.choices,
        default=Sensitivity.NORMAL,
        help_text=_("Sensitive: shown only to those allowed to see health and welfare details."),
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("description", "place", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
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

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_people")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="event_links")

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

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_governments")
    government = models.ForeignKey("casework.Government", on_delete=models.CASCADE, related_name="event_links")

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

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_actors")
    actor = models.ForeignKey("casework.Actor", on_delete=models.PROTECT, related_name="event_links")
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


CITED_FIELDS = ("event", "request", "request_update", "position")


@track
@versioned
class Citation(VigilModel):
    """Ties one fact (an event, a request, a request update or a position) to a source."""

    #: the case of each kind of fact it may support (the view log: casework.services.shown_cases)
    case_paths = tuple(CITATION_CASE_PATHS.values())

    bin_paths = (
        "source",
        "event",
        "event__case",
        "request",
        "request__case",
        "request_update__request",
        "request_update__request__case",
        "position__request",
        "position__involvement__case",
    )

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, null=True, blank=True, related_name="citations")
    request = models.ForeignKey(
        "casework.StatedRequest", on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    request_update = models.ForeignKey(
        "casework.RequestUpdate", on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    position = models.ForeignKey(
        "casework.PositionStatement", on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    locator = models.CharField(max_length=500, blank=True, help_text=_("A quote, page or timestamp."))
    confidence = models.CharField(max_length=9, choices=Confidence.choices, default=Confidence.PROBABLE)

    objects = CitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("citation")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="citation_cites_exactly_one_fact",
                condition=exactly_one_of(CITED_FIELDS),
                violation_error_message="A citation supports exactly one of: an event, a request, "
                "a request update or a position.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_confidence_display()})"

    @property
    def cited(self) -> models.Model | None:
        return next((getattr(self, name) for name in CITED_FIELDS if getattr(self, f"{name}_id")), None)
