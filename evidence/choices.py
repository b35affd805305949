"""The fixed vocabularies of evidence files."""

from django.db import models


class Derivation(models.TextChoices):
    """What was done to an original to make a derived copy."""

    REDACTED = "redacted", "redacted copy"
    TRANSLATION = "translation", "translation"
    TRANSCRIPT = "transcript", "transcript"
    OCR_TEXT = "ocr_text", "OCR text"
    METADATA_STRIPPED = "metadata_stripped", "metadata stripped"


class Variant(models.TextChoices):
    """Which bytes a download served."""

    ORIGINAL = "original", "original"
    STRIPPED = "stripped", "metadata-stripped copy"


class Check(models.TextChoices):
    """The last verification of a stored blob's bytes."""

    OK = "ok", "bytes match their SHA-256"
    MISMATCH = "mismatch", "bytes no longer match"
    MISSING = "missing", "bytes missing from storage"
