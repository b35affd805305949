"""The choices of casework's fields: kinds, statuses, stances and roles (labels and colour tones live with
the values: core/tones.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.tones import BAD, GOOD, INFO, MUTED, NEUTRAL, PROGRESS, WARN, toned


class GovernmentKind(models.TextChoices):
    STATE = "state", _("state")
    DE_FACTO = "de_facto", _("de facto authority")
    ORGANISATION = "organisation", _("international organisation")


class ActorKind(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    INDIVIDUAL = "individual", _("individual")


@toned("case", open=INFO, active=PROGRESS, stalled=WARN, resolved=GOOD, closed=MUTED)
class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACTIVE = "active", _("active")
    STALLED = "stalled", _("stalled")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


@toned("priority", urgent=BAD, high=WARN, normal=NEUTRAL, low=MUTED)
class Priority(models.TextChoices):
    URGENT = "urgent", _("urgent")
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")
    LOW = "low", _("low")


@toned("confidentiality", normal=MUTED, restricted=BAD)
class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("normal")
    RESTRICTED = "restricted", _("restricted (team only)")


class SubjectRole(models.TextChoices):
    DETAINEE = "detainee", _("detainee")
    FAMILY_MEMBER = "family_member", _("family member")
    WITNESS = "witness", _("witness")
    REPRESENTATIVE = "representative", _("representative")


class RequestCategory(models.TextChoices):
    TRANSFER = "transfer", _("transfer to a third country")
    ASYLUM = "asylum", _("asylum")
    NON_RETURN = "non_return", _("non-return")
    MEDICAL_CARE = "medical_care", _("medical care")
    MEDICINE = "medicine", _("medicine")
    CLOTHING = "clothing", _("clothing")
    FOOD = "food", _("food")
    READING = "reading", _("reading material")
    TOBACCO = "tobacco", _("tobacco")
    FAMILY_CONTACT = "family_contact", _("contact with family")
    LEGAL_COUNSEL = "legal_counsel", _("legal counsel")
    CONSULAR_ACCESS = "consular_access", _("consular access")
    OTHER = "other", _("other")


#: Supplies: minor requests, listed apart ("waiting supplies"), never in the stalled list.
MINOR_CATEGORIES = (
    RequestCategory.MEDICINE,
    RequestCategory.CLOTHING,
    RequestCategory.FOOD,
    RequestCategory.READING,
    RequestCategory.TOBACCO,
)


class RequestChannel(models.TextChoices):
    INTERVIEW = "interview", _("interview")
    LETTER = "letter", _("letter")
    MEETING = "meeting", _("meeting")
    MEDIA = "media", _("media")
    OTHER = "other", _("other")


@toned(
    "request",
    stated=NEUTRAL,
    under_verification=INFO,
    verified=INFO,
    in_progress=PROGRESS,
    granted=GOOD,
    partly_met=GOOD,
    denied=BAD,
    withdrawn=MUTED,
    stalled=WARN,
)
class RequestStatus(models.TextChoices):
    STATED = "stated", _("stated")
    UNDER_VERIFICATION = "under_verification", _("under verification")
    VERIFIED = "verified", _("verified")
    IN_PROGRESS = "in_progress", _("in progress")
    GRANTED = "granted", _("granted")
    PARTLY_MET = "partly_met", _("partly met")
    DENIED = "denied", _("denied")
    WITHDRAWN = "withdrawn", _("withdrawn")
    STALLED = "stalled", _("stalled")


# A request in one of these states is settled: it can no longer stall.
SETTLED_REQUEST_STATUSES = (RequestStatus.GRANTED, RequestStatus.DENIED, RequestStatus.WITHDRAWN)


class FreelyExpressed(models.TextChoices):
    UNKNOWN = "unknown", _("not yet known")
    YES = "yes", _("yes, verified")
    NO = "no", _("no (under pressure)")


class GovernmentRole(models.TextChoices):
    DETAINING_STATE = "detaining_state", _("detaining state")
    STATE_OF_NATIONALITY = "state_of_nationality", _("state of nationality")
    RECEIVING_STATE = "receiving_state", _("receiving state")
    BELLIGERENT_ALLY = "belligerent_ally", _("belligerent ally")
    MEDIATOR = "mediator", _("mediator")
    OTHER = "other", _("other")


@toned(
    "stance",
    supports=GOOD,
    conditional=WARN,
    opposes=BAD,
    no_response=MUTED,
    denies=BAD,
    asks_for_information=INFO,
    under_consideration=NEUTRAL,
    unknown=NEUTRAL,
)
class Stance(models.TextChoices):
    SUPPORTS = "supports", _("supports")
    CONDITIONAL = "conditional", _("conditional")
    OPPOSES = "opposes", _("opposes")
    NO_RESPONSE = "no_response", _("no response")
    DENIES = "denies", _("denies")
    ASKS_FOR_INFORMATION = "asks_for_information", _("asks for information")
    UNDER_CONSIDERATION = "under_consideration", _("under consideration (weighing)")
    UNKNOWN = "unknown", _("unknown")


class InterventionKind(models.TextChoices):
    LETTER = "letter", _("letter")
    MEETING = "meeting", _("meeting")
    PETITION = "petition", _("petition")
    UN_COMMUNICATION = "un_communication", _("UN communication")
    MEDIA = "media", _("media work")
    OTHER = "other", _("other")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("sent / held")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ANSWERED = "answered", _("answered")
    NO_RESPONSE = "no_response", _("no response")
