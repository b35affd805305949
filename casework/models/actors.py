"""Governments, the other actors (organisations and individuals) and the legal bases advocates cite."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from casework.models.choices import ActorKind, GovernmentKind
from casework.querysets import (
    ActorQuerySet,
)
from core.history import track
from core.models import VigilModel, versioned
from people.models import NameKeysMixin


@track
@versioned
class Government(VigilModel):
    """A state, a de facto authority or an organisation a request can be addressed to."""

    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    kind = models.CharField(
        max_length=12, choices=GovernmentKind.choices, default=GovernmentKind.STATE, verbose_name=_("kind")
    )
    country = CountryField(
        blank=True, db_index=True, help_text=_("ISO 3166 country, where it has one."), verbose_name=_("country")
    )

    class Meta:
        verbose_name = _("government or organisation")
        verbose_name_plural = _("governments and organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_government_change", args=[self.pk])


@track
@versioned
class Actor(NameKeysMixin, VigilModel):
    """Someone other than a government who speaks, acts or is present: an NGO and its
    head, the ICRC, a journalist or documentary producer, a ministry's spokesperson.

    Names in every script: ``name`` (romanized or English), ``name_original`` and
    ``other_names``, all findable by the people/ name keys (``people.names``), so
    장세율, Jang Se-yul and Chang Se Yul are one actor. Actors are reference data,
    like governments: every signed-in user sees them; what links them to a case
    (an event they were at, a source they wrote) is visible only with that case.
    """

    kind = models.CharField(max_length=12, choices=ActorKind.choices, verbose_name=_("kind"))
    name = models.CharField(_("name (romanized)"), max_length=200)
    name_original = models.CharField(_("name in original script"), max_length=200, blank=True)
    other_names = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("other names and spellings"),
        default=list,
        blank=True,
        help_text=_("Every other spelling, one per line in forms."),
    )
    role = models.CharField(
        max_length=200,
        blank=True,
        help_text=_('"Head", "spokesperson of the foreign ministry", "documentary producer".'),
        verbose_name=_("role"),
    )
    organisation = models.ForeignKey(
        "self",
        verbose_name=_("of the organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": ActorKind.ORGANISATION},
        help_text=_("For an individual: the organisation they head or work for."),
    )
    government = models.ForeignKey(
        Government,
        verbose_name=_("speaks for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actors",
        help_text=_("A spokesperson's or official's government."),
    )
    country = CountryField(blank=True, help_text=_("Where they are based."), verbose_name=_("country"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = _("actor (organisation or person)")
        verbose_name_plural = _("actors (organisations and people)")
        ordering = ["name", "id"]
        indexes = [
            # Name search in any script: ActorQuerySet.search_names (keys && query keys).
            GinIndex(fields=["name_keys"], name="actor_name_keys_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                name="actor_organisation_only_for_individual",
                condition=Q(organisation__isnull=True) | Q(kind="individual"),
                violation_error_message="Only an individual belongs to an organisation.",
            ),
        ]

    def __str__(self) -> str:
        name = f"{self.name} ({self.name_original})" if self.name_original else self.name
        return f"{name}, {self.role}" if self.role else name

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_actor_change", args=[self.pk])

    def name_key_sources(self) -> list[str]:
        return [self.name, self.name_original, *self.other_names]

    def clean(self) -> None:
        super().clean()
        if self.organisation_id is not None and self.organisation.kind != ActorKind.ORGANISATION:
            raise ValidationError({"organisation": _("Choose an organisation.")})


@track
@versioned
class LegalBasis(VigilModel):
    """A rule an argument or a request rests on: a vocabulary data managers extend
    (GC III Art. 118, non-refoulement, the receiving state's nationality law...)."""

    name = models.CharField(
        max_length=200, unique=True, help_text=_('"GC III Art. 118: repatriation".'), verbose_name=_("name")
    )
    instrument = models.CharField(
        max_length=200,
        blank=True,
        help_text=_('"Third Geneva Convention", "Constitution of the Republic of Korea".'),
        verbose_name=_("instrument"),
    )
    summary = models.TextField(blank=True, help_text=_("What it says, in a sentence."), verbose_name=_("summary"))
    url = models.URLField(_("URL"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_legalbasis_change", args=[self.pk])
