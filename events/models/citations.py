"""Citations tying one fact to its source."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import track
from core.models import VigilModel, exactly_one_of, versioned
from events.models.choices import Confidence
from events.models.events import Event
from events.models.sources import Source
from events.querysets import CITATION_CASE_PATHS, CitationQuerySet

CITED_FIELDS = ("event", "request", "request_update", "position")


@track
@versioned
class Citation(VigilModel):
    """Ties one fact (an event, a request, a request update or a position) to a source."""

    #: the case of each kind of fact it may support (the view log: casework.view_log.shown_cases)
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

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations", verbose_name=_("source"))
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="citations", verbose_name=_("event")
    )
    request = models.ForeignKey(
        "casework.StatedRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("request"),
    )
    request_update = models.ForeignKey(
        "casework.RequestUpdate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("request update"),
    )
    position = models.ForeignKey(
        "casework.PositionStatement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("position"),
    )
    locator = models.CharField(
        max_length=500, blank=True, help_text=_("A quote, page or timestamp."), verbose_name=_("locator")
    )
    confidence = models.CharField(
        max_length=9, choices=Confidence.choices, default=Confidence.PROBABLE, verbose_name=_("confidence")
    )

    objects = CitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
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
