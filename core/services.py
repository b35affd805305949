"""Writes of core's own records (keyword-only, one transaction, the acting user required)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

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


@transaction.atomic
def translation_record(
    *,
    user,
    record,
    field: str,
    language: str,
    text: str,
    kind: str = "human",
    translated_by: str = "",
    checked: bool = False,
    checked_by: str = "",
):
    """Add (or replace) the translation of ``record.<field>`` into ``language``; the original stays as it is."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import TextTranslation

    if field not in getattr(record, "translatable_fields", {}):
        raise ValidationError({"field": gettext("This text has no translations.")})
    if not language.strip() or not text.strip():
        raise ValidationError({"text": gettext("A translation needs its language and its text.")})
    translation, _created = TextTranslation.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        field=field,
        language=language.strip(),
        defaults={
            "text": text,
            "kind": kind,
            "translated_by": translated_by,
            "checked": checked,
            "checked_by": checked_by,
            "created_by": user,
        },
    )
    return translation
