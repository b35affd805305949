"""Writes of a person's own fields from the dashboard (keyword-only, one transaction)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from people.models import Person

BIRTH_YEAR_FIELDS = ("birth_year_earliest", "birth_year_latest", "age_estimate")


@transaction.atomic
def person_birth_years_set(
    *, user, person: Person, earliest: int | None, latest: int | None, age_estimate: str = ""
) -> Person:
    """Record an approximate age as years of birth ("in their 20s" in 2025: 1995 to 2005),
    with the words it was reported in. Only these fields are written, at the version of
    ``person`` the writer read (``core.models.VigilModel._do_update``: someone else's save
    meanwhile is refused, not overwritten). A year of birth is not in the future."""
    this_year = timezone.localdate().year
    errors = {}
    for field, year in (("birth_year_earliest", earliest), ("birth_year_latest", latest)):
        if year is not None and year > this_year:
            errors[field] = gettext("A year of birth is not in the future (it is %(year)s).") % {"year": this_year}
    if errors:
        raise ValidationError(errors)
    person.birth_year_earliest, person.birth_year_latest, person.age_estimate = earliest, latest, age_estimate
    person.full_clean(exclude=[f.name for f in Person._meta.concrete_fields if f.name not in BIRTH_YEAR_FIELDS])
    person.save(update_fields=[*BIRTH_YEAR_FIELDS, "updated_at"])
    return person
