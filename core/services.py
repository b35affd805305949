"""Writes of core's own records (keyword-only, one transaction, the acting user required)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from core.locale import is_time_zone
from core.models import UserPreferences


@transaction.atomic
def preferences_set(*, user, language: str, time_zone: str) -> UserPreferences:
    """Store ``user``'s own interface language and time zone (empty: browser's language, site's zone)."""
    errors = {}
    if language and language not in dict(settings.LANGUAGES):
        errors["language"] = "Not a language Vigil speaks."
    if time_zone and not is_time_zone(time_zone):
        errors["time_zone"] = "Not a time zone."
    if errors:
        raise ValidationError(errors)
    preferences, _created = UserPreferences.objects.update_or_create(
        user=user, defaults={"language": language, "time_zone": time_zone}
    )
    user._vigil_preferences = preferences
    return preferences
