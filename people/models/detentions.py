"""Where and since when a person is held."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.dates import FuzzyDateAttribute, fuzzy_date_constraints, fuzzy_date_fields
from core.history import track
from core.models import VigilModel, versioned
from people.models.persons import Person
from people.querysets import PersonRelatedQuerySet


@track
@versioned
class Detention(VigilModel):
    """Where, by whom and from when to when a person was held."""

    fuzzy_dates = past_dates = ("started_on", "ended_on")
    bin_paths = ("person",)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="detentions", verbose_name=_("person"))
    facility = models.CharField(_("facility"), max_length=200, blank=True)
    locality = models.CharField(max_length=200, blank=True, help_text=_('"near Kyiv"'), verbose_name=_("locality"))
    region = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            'The first administrative level of the place: province, oblast, state ("Kyiv Oblast"). '
            "All a public export says of where someone is held, with the country."
        ),
        verbose_name=_("region"),
    )
    country = CountryField(blank=True, verbose_name=_("country"))
    authority = models.ForeignKey(
        "casework.Government",
        verbose_name=_("detaining authority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="detentions",
    )
    started_on, started_on_precision = fuzzy_date_fields(_("from"))
    started = FuzzyDateAttribute("started_on")
    ended_on, ended_on_precision = fuzzy_date_fields(_("until"))
    ended = FuzzyDateAttribute("ended_on")
    conditions = models.TextField(blank=True, verbose_name=_("conditions"))

    objects = PersonRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        ordering = ["person_id", "-started_on"]
        constraints = [
            *fuzzy_date_constraints("started_on", "detention", past=True),
            *fuzzy_date_constraints("ended_on", "detention", past=True),
            models.CheckConstraint(
                name="detention_ends_after_it_starts",
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                violation_error_message="A detention cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        place = ", ".join(part for part in (self.facility, self.locality, self.country.name) if part)
        return f"{place or 'place unknown'} (from {self.started})"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
