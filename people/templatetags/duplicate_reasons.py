"""Why two records may be one person, in the reader's language: ``{{ pair.reasons|reason_labels|join:", " }}``."""

from __future__ import annotations

from django import template

from people.reasons import labels

register = template.Library()


@register.filter
def reason_labels(codes) -> list[str]:
    return labels(codes)
