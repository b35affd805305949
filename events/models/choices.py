"""The choices of sources, events and citations, with their colours where a page shows them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.tones import BAD, GOOD, INFO, MUTED, NEUTRAL, WARN, toned


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", _("news report")
    NGO_STATEMENT = "ngo_statement", _("NGO statement")
    GOVERNMENT_STATEMENT = "government_statement", _("government statement")
    INTERVIEW = "interview", _("interview")
    DOCUMENT = "document", _("document")
    SOCIAL_MEDIA = "social_media", _("social media")
    OTHER = "other", _("other")


@toned("reliability", A=GOOD, B=GOOD, C=NEUTRAL, D=WARN, E=BAD, F=MUTED)
class Reliability(models.TextChoices):
    """How trusted the source has been (the Admiralty scale's letter)."""

    A = "A", _("A: completely reliable")
    B = "B", _("B: usually reliable")
    C = "C", _("C: fairly reliable")
    D = "D", _("D: not usually reliable")
    E = "E", _("E: unreliable")
    F = "F", _("F: reliability cannot be judged")


class SourceConnection(models.TextChoices):
    DETAINEE = "detainee", _("the detainee")
    WITNESS = "witness", _("witness")
    RELATIVE = "relative", _("relative")
    THIRD_PARTY = "third_party", _("third party")


class EventKind(models.TextChoices):
    CAPTURE = "capture", _("capture")
    DETENTION = "detention", _("detention")
    TRANSFER = "transfer", _("transfer")
    ICRC = "icrc", _("ICRC notification or visit")
    INTERVIEW = "interview", _("interview")
    DETAINEE_STATEMENT = "detainee_statement", _("statement by the detainee")
    REQUEST_MADE = "request_made", _("request made")
    GOVERNMENT_STATEMENT = "government_statement", _("government statement")
    DIPLOMATIC_CONTACT = "diplomatic_contact", _("diplomatic contact")
    MEDICAL = "medical", _("medical")
    WELFARE_INCIDENT = "welfare_incident", _("welfare incident")
    MEDIA_REPORT = "media_report", _("media report")
    LEGAL_STEP = "legal_step", _("legal step")
    EXCHANGE = "exchange", _("exchange")
    RELEASE = "release", _("release")
    REPATRIATION = "repatriation", _("repatriation")
    RESETTLEMENT = "resettlement", _("resettlement")
    DEATH = "death", _("death")
    OBSERVATION = "observation", _("observation of uncertain meaning")
    OTHER = "other", _("other")


@toned("confidence", confirmed=GOOD, probable=INFO, possible=NEUTRAL, doubtful=WARN)
class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    PROBABLE = "probable", _("probable")
    POSSIBLE = "possible", _("possible")
    DOUBTFUL = "doubtful", _("doubtful")


class Sensitivity(models.TextChoices):
    NORMAL = "normal", _("normal")
    SENSITIVE = "sensitive", _("sensitive")
