"""A person's approximate age as written, in the reader's language: ``{{ person|birth_years }}``."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def birth_years_text(person) -> str:
    """The years of birth as written: "born 1995 to 2005", "born in or after 1995", "" when none."""
    earliest, latest = person.birth_year_earliest, person.birth_year_latest
    if earliest and latest:
        if earliest == latest:
            return _("born %(year)s") % {"year": earliest}
        return _("born %(earliest)s–%(latest)s") % {"earliest": earliest, "latest": latest}  # noqa: RUF001 (an en dash)
    if earliest:
        return _("born in or after %(year)s") % {"year": earliest}
    return _("born in or before %(year)s") % {"year": latest} if latest else ""


@register.filter
def birth_years(person) -> str:
    return birth_years_text(person)
