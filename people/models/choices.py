"""The choices of people's fields: sex, legal status, status, risk, name and identifier kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.tones import BAD, GOOD, MUTED, NEUTRAL, WARN, toned


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("unknown")


class LegalStatus(models.TextChoices):
    PRISONER_OF_WAR = "prisoner_of_war", _("prisoner of war")
    CIVILIAN_INTERNEE = "civilian_internee", _("civilian internee")
    POLITICAL_PRISONER = "political_prisoner", _("political prisoner")
    ASYLUM_SEEKER = "asylum_seeker", _("asylum seeker")
    AT_RISK_OF_FORCED_RETURN = "at_risk_of_forced_return", _("at risk of forced return")
    OTHER = "other", _("other")


@toned(
    "person",
    in_detention=WARN,
    released=GOOD,
    transferred=GOOD,
    resettled=GOOD,
    repatriated=NEUTRAL,
    deceased=BAD,
    missing=BAD,
    unknown=NEUTRAL,
)
class PersonStatus(models.TextChoices):
    IN_DETENTION = "in_detention", _("in detention")
    RELEASED = "released", _("released")
    TRANSFERRED = "transferred", _("transferred")
    RESETTLED = "resettled", _("resettled")
    REPATRIATED = "repatriated", _("repatriated")
    DECEASED = "deceased", _("deceased")
    MISSING = "missing", _("missing")
    UNKNOWN = "unknown", _("unknown")


@toned("risk", extreme=BAD, high=BAD, medium=WARN, low=NEUTRAL, unknown=MUTED)
class RiskLevel(models.TextChoices):
    EXTREME = "extreme", _("extreme (life at risk)")
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")
    UNKNOWN = "unknown", _("not assessed")


class NameKind(models.TextChoices):
    ORIGINAL = "original", _("original script")
    TRANSLITERATION = "transliteration", _("transliteration")
    ALIAS = "alias", _("alias")
    NICKNAME = "nickname", _("nickname")
    OTHER = "other", _("other")


class IdentifierKind(models.TextChoices):
    ICRC = "icrc", _("ICRC reference")
    SERVICE_NUMBER = "service_number", _("service number")
    PRISONER_NUMBER = "prisoner_number", _("prisoner number")
    NATIONAL_ID = "national_id", _("national ID")
    PASSPORT = "passport", _("passport")
    UNHCR = "unhcr", _("UNHCR case number")
    OTHER = "other", _("other")


class PairStatus(models.TextChoices):
    OPEN = "open", _("to review")
    NOT_SAME = "not_same", _("not the same person")
    MERGED = "merged", _("merged")
