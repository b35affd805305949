"""Writes of core's own records (keyword-only, one transaction, the acting user required)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.locale import is_time_zone
from core.models import UserPreferences


@transaction.atomic
def preferences_set(*, user, language: str, time_zone: str) -> UserPreferences:
    """Store ``user``'s own interface language and time zone (empty: browser's language, site's zone)."""
    errors = {}
    if language and language not in dict(settings.LANGUAGES):
        errors["language"] = _("Not a language Vigil speaks.")
    if time_zone and not is_time_zone(time_zone):
        errors["time_zone"] = _("Not a time zone.")
    if errors:
        raise ValidationError(errors)
    preferences, _created = UserPreferences.objects.update_or_create(
        user=user, defaults={"language": language, "time_zone": time_zone}
    )
    user._vigil_preferences = preferences
    return preferences


#: A BCP 47 language tag as Vigil stores it: "ko", "uk", "ru", "en", "sr-Latn", "zh-Hant-TW".
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


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
    translation=None,
):
    """Add the translation of ``record.<field>`` into ``language`` (replacing the one into that
    language, if any), or correct ``translation`` (one of the record's); the original stays as
    it is. A human translation with nobody named is ``user``'s; a checked one with no checker
    named was checked by ``user``. Bad input: a ``ValidationError`` field by field."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import TextTranslation, TranslationKind

    language, text, translated_by, checked_by = (
        language.strip(),
        text.strip(),
        translated_by.strip(),
        checked_by.strip(),
    )
    errors = {}
    if field not in getattr(record, "translatable_fields", {}):
        errors["field"] = _("This text has no translations.")
    if not language:
        errors["language"] = _("Say which language the translation is in.")
    elif not LANGUAGE_TAG.match(language) or len(language) > 16:
        errors["language"] = _("A language tag, such as “ko”, “uk”, “ru” or “en”.")
    elif (
        field in getattr(record, "translatable_fields", {})
        and record.original_language(field).split("-")[0].lower() == language.split("-")[0].lower()
    ):
        errors["language"] = _("The original is in this language already.")
    if not text:
        errors["text"] = _("A translation needs its text.")
    if kind not in TranslationKind.values:
        errors["kind"] = _("Human or machine.")
    content_type = ContentType.objects.get_for_model(record)
    if translation is not None and (translation.content_type_id, translation.object_id) != (content_type.pk, record.pk):
        errors["translation"] = _("Not a translation of this record.")
    if errors:
        raise ValidationError(errors)
    existing = TextTranslation.objects.select_for_update().filter(
        content_type=content_type, object_id=record.pk, field=field, language=language
    )
    if translation is not None:
        if existing.exclude(pk=translation.pk).exists():
            raise ValidationError({"language": _("This text already has a translation into that language.")})
        previous = translation
    else:
        previous = existing.first()
    if kind == TranslationKind.HUMAN and not translated_by:
        translated_by = _who(user)
    if checked and not checked_by:
        unchanged = previous is not None and previous.checked and previous.text == text
        checked_by = previous.checked_by if unchanged else _who(user)
    if not checked:
        checked_by = ""
    values = {
        "field": field,
        "language": language,
        "text": text,
        "kind": kind,
        "translated_by": translated_by,
        "checked": checked,
        "checked_by": checked_by,
    }
    if previous is None:
        return TextTranslation.objects.create(content_type=content_type, object_id=record.pk, created_by=user, **values)
    for name, value in values.items():
        setattr(previous, name, value)
    previous.save()
    return previous


@transaction.atomic
def translation_check(*, user, translation):
    """``user`` checked ``translation`` against its original."""
    if not translation.checked:
        translation.checked, translation.checked_by = True, _who(user)
        translation.save(update_fields=["checked", "checked_by", "updated_at"])
    return translation
