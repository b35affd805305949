"""The base every Vigil model stands on."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.dates import normalise_pair


class VigilModel(models.Model):
    """A record with audit timestamps whose reported dates are normalised on validation.

    ``fuzzy_dates`` names the date columns that carry a ``<name>_precision``
    partner (see core/dates.py); ``clean()`` normalises them, so every ModelForm
    (admin, dashboard) stores "March 2025" as 2025-03-01 whatever day was typed.
    """

    fuzzy_dates: tuple[str, ...] = ()

    created_at = models.DateTimeField("created", auto_now_add=True, editable=False)
    updated_at = models.DateTimeField("last changed", auto_now=True, editable=False)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        for field in self.fuzzy_dates:
            normalise_pair(self, field)


class BinnableModel(models.Model):
    """A record that deleting moves to the bin (core/bin.py) instead of destroying.

    While in the bin it, and everything hanging off it, is left out of every
    ``visible_to()``; a data manager restores it with everything it had, or
    purges it for good (history keeps what it was).
    """

    bin_paths: tuple[str, ...] = ("",)

    deleted_at = models.DateTimeField("moved to the bin at", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="moved to the bin by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def in_bin(self) -> bool:
        return self.deleted_at is not None
