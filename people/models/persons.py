"""People held or at risk, their names in every script and spelling, and their identifiers."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core import exposure
from core.dates import FuzzyDateAttribute, fuzzy_date_constraints, fuzzy_date_fields
from core.history import track
from core.models import BinnableModel, VigilModel, versioned
from people.models.choices import IdentifierKind, LegalStatus, NameKind, PersonStatus, RiskLevel, Sex
from people.names import name_keys
from people.querysets import IdentifierQuerySet, PersonQuerySet, PersonRelatedQuerySet


class NameKeysMixin(models.Model):
    """A record whose names are findable in any script or spelling (see people/names.py).

    The keys are derived from ``name_key_sources()`` whenever the record is
    saved; bulk loaders call ``refresh_name_keys()`` themselves.
    """

    name_keys = ArrayField(
        models.CharField(max_length=200), default=list, blank=True, editable=False, verbose_name=_("name keys")
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_name_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_keys"}
        super().save(*args, **kwargs)

    def name_key_sources(self) -> list[str]:
        raise NotImplementedError

    def refresh_name_keys(self) -> None:
        self.name_keys = name_keys(*self.name_key_sources())


@track
@versioned
class Person(NameKeysMixin, BinnableModel, VigilModel):
    """Someone whose detention Vigil follows: identity, status, risk if returned, health.

    The details the Third Geneva Convention asks a detaining power to record
    (Art. 17, 70, 122) have fields of their own and are sensitive.
    """

    fuzzy_dates = past_dates = ("birth_date",)
    # Shown, sent and searchable only with people.view_sensitive (core.access.sees_sensitive):
    # health and welfare, family and GC III details, the risk assessment.
    SENSITIVE_FIELDS = exposure.fields("people.Person", exposure.SENSITIVE)

    display_name = models.CharField(_("name (romanized)"), max_length=200)
    name_original = models.CharField(_("name in original script"), max_length=200, blank=True)
    sex = models.CharField(max_length=7, choices=Sex.choices, default=Sex.UNKNOWN, verbose_name=_("sex"))
    birth_date, birth_date_precision = fuzzy_date_fields(_("birth date"))
    birth = FuzzyDateAttribute("birth_date")
    age_estimate = models.CharField(
        _("age estimate"), max_length=40, blank=True, help_text=_('When the birth date is unknown: "in their 20s".')
    )
    birth_year_earliest = models.PositiveSmallIntegerField(
        _("born in or after"),
        null=True,
        blank=True,
        help_text=_('An approximate age as years of birth: "in their 20s" in 2025 is 1996 to 2005.'),
    )
    birth_year_latest = models.PositiveSmallIntegerField(_("born in or before"), null=True, blank=True)
    place_of_birth = models.CharField(_("place of birth"), max_length=200, blank=True)
    nationality = CountryField(blank=True, db_index=True, verbose_name=_("nationality"))
    legal_status = models.CharField(_("legal status"), max_length=24, choices=LegalStatus.choices, blank=True)
    status = models.CharField(
        max_length=12, choices=PersonStatus.choices, default=PersonStatus.UNKNOWN, verbose_name=_("status")
    )
    description = models.TextField(blank=True, verbose_name=_("description"))
    identifying_features = models.TextField(
        _("identifying features"),
        blank=True,
        help_text=_("Scars, injuries, marks: what lets a visitor recognise them."),
    )
    rank = models.CharField(max_length=100, blank=True, verbose_name=_("rank"))
    unit = models.CharField(max_length=200, blank=True, verbose_name=_("unit"))
    depends_on = models.ForeignKey(
        "casework.Government",
        verbose_name=_("power they depend on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependants",
        help_text=_("GC III Art. 17/122: the power on which the prisoner depends."),
    )
    father_first_name = models.CharField(_("father's first name"), max_length=200, blank=True)
    mother_maiden_name = models.CharField(_("mother's maiden name"), max_length=200, blank=True)
    person_to_inform = models.TextField(_("person to inform"), blank=True)
    risk_level = models.CharField(
        _("risk if returned"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.UNKNOWN
    )
    risk_reason = models.TextField(_("why they are at risk"), blank=True)
    health_notes = models.TextField(_("health"), blank=True)
    welfare_notes = models.TextField(_("welfare"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("Who recorded the person: the only one (with data managers) who sees them while in no case."),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_from",
        help_text=_(
            "Set when this record was found to be a duplicate and merged (people/duplicates.py): "
            "its old page and API id lead to the survivor."
        ),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name", "id"]
        permissions = [("view_sensitive", "Can see health, welfare, family and GC III details")]
        indexes = [
            # Name search: people.querysets.PersonQuerySet.search_names (keys && query keys).
            GinIndex(fields=["name_keys"], name="person_name_keys_gin"),
            # Detainees by status on the dashboard home and the people filter.
            models.Index(fields=["status"], name="person_status_idx"),
            # The API's keyset pages (KeysetPagination): ORDER BY display_name, id (the default),
            # or ?ordering=status / nationality, id breaking ties.
            models.Index(fields=["display_name", "id"], name="person_name_id_idx"),
            models.Index(fields=["status", "id"], name="person_status_id_idx"),
            models.Index(fields=["nationality", "id"], name="person_nationality_id_idx"),
        ]
        constraints = [
            *fuzzy_date_constraints("birth_date", "person", past=True),
            models.CheckConstraint(
                name="person_birth_years_in_order",
                condition=Q(birth_year_earliest__isnull=True)
                | Q(birth_year_latest__isnull=True)
                | Q(birth_year_earliest__lte=models.F("birth_year_latest")),
                violation_error_message="The earliest year of birth comes before the latest.",
            ),
            models.CheckConstraint(
                name="person_birth_years_plausible",
                condition=(Q(birth_year_earliest__isnull=True) | Q(birth_year_earliest__gte=1900))
                & (Q(birth_year_latest__isnull=True) | Q(birth_year_latest__lte=2100)),
                violation_error_message="A year of birth lies between 1900 and 2100.",
            ),
        ]

    def __str__(self) -> str:
        if self.name_original:
            return f"{self.display_name} ({self.name_original})"
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("person_detail", args=[self.pk])

    def name_for_reader(self, language: str) -> tuple[str, str]:
        """(name, its language tag) in the reader's language where a name in that
        language's own script exists (a Korean reader: 리정철; a Ukrainian one: the
        name tagged "uk"), else the romanized display name ("", no tag). Reads the
        prefetched ``names``, or those a list page read for all its people at once
        (``people.reader_names.attach_reader_names``)."""
        reader = (language or "").split("-")[0]
        if not reader or reader == "en":
            return self.display_name, ""
        names = getattr(self, "_reader_names", None)
        tagged = [
            n
            for n in (self.names.all() if names is None else names)
            if n.language.split("-")[0] == reader and "-Latn" not in n.language and n.kind != NameKind.ALIAS
        ]
        if tagged:
            return tagged[0].name, tagged[0].language
        if self.name_original and reader == script_language(self.name_original):
            return self.name_original, reader
        return self.display_name, ""

    def name_key_sources(self) -> list[str]:
        return [self.display_name, self.name_original]

    @staticmethod
    def birth_years_for_age(youngest: int, oldest: int, on: datetime.date) -> tuple[int, int]:
        """Years of birth of someone aged ``youngest`` to ``oldest`` on ``on`` ("in their 20s": 20, 29)."""
        return on.year - oldest - 1, on.year - youngest

    @property
    def birth_years(self) -> str:
        """The birth-year range as written: "born 1995 to 2005", "born after 1995", ""."""
        earliest, latest = self.birth_year_earliest, self.birth_year_latest
        if earliest and latest:
            return f"born {earliest}" if earliest == latest else f"born {earliest}–{latest}"  # noqa: RUF001 (an en dash, as printed)
        if earliest:
            return f"born in or after {earliest}"
        return f"born in or before {latest}" if latest else ""

    def restore_from_bin(self, *, user) -> bool:
        """Restoring a record merged into another undoes the merge (people/duplicates.py)."""
        if self.merged_into_id is None:
            return False
        from people.duplicates import person_merge_undo

        merge = self.merges_absorbed.filter(undone_at__isnull=True).order_by("-merged_at").first()
        if merge is None:
            return False
        person_merge_undo(merge=merge, user=user)
        return True


def script_language(text: str) -> str:
    """ "ko" for a name written in Hangul, "" otherwise (Cyrillic is shared by several languages:
    those names say their language in PersonName.language)."""
    return "ko" if any("\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" for char in text) else ""


@track
@versioned
class PersonName(NameKeysMixin, VigilModel):
    """Another name or spelling of a person: original script, transliteration, alias."""

    bin_paths = ("person",)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names", verbose_name=_("person"))
    name = models.CharField(max_length=200, verbose_name=_("name"))
    kind = models.CharField(
        max_length=15, choices=NameKind.choices, default=NameKind.TRANSLITERATION, verbose_name=_("kind")
    )
    language = models.CharField(
        _("language / script"), max_length=35, blank=True, help_text=_('BCP 47 tag: "ko", "ko-Latn-KP", "ru-Cyrl".')
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text=_('Where this spelling is used: "Ukrainian media".'),
        verbose_name=_("note"),
    )

    objects = PersonRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("name or spelling")
        verbose_name_plural = _("names and spellings")
        ordering = ["person_id", "kind", "name"]
        indexes = [
            # Name search: PersonQuerySet.search_names looks here for every recorded spelling.
            GinIndex(fields=["name_keys"], name="personname_name_keys_gin"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name"],
                name="personname_unique_per_person",
                violation_error_message="This person already has this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

    def name_key_sources(self) -> list[str]:
        return [self.name]


@track
@versioned
class PersonIdentifier(VigilModel):
    """A number that identifies a person to some authority (ICRC, army, prison)."""

    # Service numbers (GC III details): sensitive as a whole record (core.exposure.SENSITIVE_ROWS).
    SENSITIVE_KINDS = dict(exposure.SENSITIVE_ROWS["people.PersonIdentifier"])["kind"]
    bin_paths = ("person",)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers", verbose_name=_("person"))
    kind = models.CharField(max_length=15, choices=IdentifierKind.choices, verbose_name=_("kind"))
    value = models.CharField(max_length=100, verbose_name=_("value"))
    issuer = models.CharField(max_length=200, blank=True, verbose_name=_("issuer"))

    objects = IdentifierQuerySet.as_manager()

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        ordering = ["person_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "value"],
                name="personidentifier_unique",
                violation_error_message="This person already has this identifier.",
            )
        ]
        indexes = [
            # Looking a person up by a number: admin search and the people filter.
            models.Index(fields=["value"], name="personidentifier_value_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()
