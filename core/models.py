"""The base every Vigil model stands on."""

from __future__ import annotations

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
