"""The fixed vocabularies of evidence files."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Derivation(models.TextChoices):
    """What was done to an original to make a derived copy."""

    REDACTED = "redacted", _("redacted copy")
    TRANSLATION = "translation", _("translation")
    TRANSCRIPT = "transcript", _("transcript")
    OCR_TEXT = "ocr_text", _("OCR text")
    METADATA_STRIPPED = "metadata_stripped", _("metadata stripped")


class Variant(models.TextChoices):
    """Which bytes a download served."""

    ORIGINAL = "original", _("original")
    STRIPPED = "stripped", _("metadata-stripped copy")


class Check(models.TextChoices):
    """The last verification of a stored blob's bytes."""

    OK = "ok", _("bytes match their SHA-256")
    MISMATCH = "mismatch", _("bytes no longer match")
    MISSING = "missing", _("bytes missing from storage")
