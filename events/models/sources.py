"""Sources: where a fact comes from."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import FuzzyDateAttribute, fuzzy_date_constraints, fuzzy_date_fields
from core.history import track
from core.models import BinnableModel, TextTranslation, Translatable, VigilModel, versioned
from events.models.choices import Reliability, SourceConnection, SourceKind
from events.querysets import CITATION_CASE_PATHS, SourceQuerySet


@track
@versioned
class Source(Translatable, BinnableModel, VigilModel):
    """Where a fact comes from: a report, a statement, an interview, a document."""

    fuzzy_dates = past_dates = ("published_on",)
    translatable_fields = {"title": "language"}
    #: the cases a source is in, through what it supports (the view log: casework.view_log.shown_cases)
    case_paths = tuple(f"citations__{path}" for path in CITATION_CASE_PATHS.values())

    kind = models.CharField(max_length=20, choices=SourceKind.choices, verbose_name=_("kind"))
    title = models.CharField(max_length=400, verbose_name=_("title"))
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
    language = models.CharField(
        max_length=35, blank=True, help_text=_('BCP 47 tag: "en", "ko", "uk".'), verbose_name=_("language")
    )
    translations = GenericRelation(TextTranslation, related_query_name="source")
    published_on, published_on_precision = fuzzy_date_fields(_("published on"))
    published = FuzzyDateAttribute("published_on")
    reliability = models.CharField(
        max_length=1, choices=Reliability.choices, default=Reliability.F, verbose_name=_("reliability")
    )
    connection = models.CharField(
        _("connection to the facts"),
        max_length=11,
        choices=SourceConnection.choices,
        default=SourceConnection.THIRD_PARTY,
    )
    notes = models.TextField(blank=True, verbose_name=_("notes"))
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("publisher", "notes", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("search vector"),
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
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
