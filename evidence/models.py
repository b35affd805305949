"""Evidence files: bytes stored once by their SHA-256, the records that use them,
derived copies, downloads and verification runs.

A ``StoredBlob`` is content: its SHA-256, size and type, never changed once
written (a database trigger refuses it). An ``EvidenceFile`` is a record of
receiving that content: who uploaded it, when, through what, under which
name, for which case, and which records it supports (``FileLink``). The same
bytes uploaded twice are one blob and two records. A derived copy (a redacted
photo, a translation) is another ``EvidenceFile`` pointing at its original.
"""

from __future__ import annotations

import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import Channel, track
from core.models import BinnableModel, VigilModel, exactly_one_of, versioned
from evidence.choices import Check, Derivation, Variant
from evidence.querysets import EvidenceFileQuerySet, FileLinkQuerySet, UploadSessionQuerySet

SHA256_PATTERN = r"^[0-9a-f]{64}$"


@track
@pgtrigger.register(
    pgtrigger.ReadOnly(name="blob_content_read_only", fields=["sha256", "size", "media_type", "metadata"]),
)
class StoredBlob(models.Model):
    """Bytes kept once, named by their SHA-256 in the evidence storage
    (``sha256/ab/cd/abcd…``). Never overwritten: only the last verification
    result changes. Removed (row and bytes) only when no file links it."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.BigIntegerField(help_text=_("In bytes."), verbose_name=_("size"))
    media_type = models.CharField(
        max_length=100, help_text=_("Detected from the content, not the name."), verbose_name=_("media type")
    )
    extension = models.CharField(max_length=16, blank=True, verbose_name=_("extension"))
    metadata = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("What the file carries (EXIF: camera, GPS position...), read at upload."),
        verbose_name=_("metadata"),
    )
    created_at = models.DateTimeField(_("first stored"), auto_now_add=True)
    checked_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    check_result = models.CharField(_("last verification"), max_length=8, choices=Check.choices, blank=True)

    class Meta:
        verbose_name = _("stored blob")
        verbose_name_plural = _("stored blobs")
        constraints = [
            models.CheckConstraint(
                name="storedblob_sha256_hex",
                condition=Q(sha256__regex=SHA256_PATTERN),
                violation_error_message="A SHA-256 is 64 lower-case hexadecimal digits.",
            ),
            models.CheckConstraint(
                name="storedblob_size_not_negative",
                condition=Q(size__gte=0),
                violation_error_message="A size cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]}… ({self.media_type}, {self.size} bytes)"

    @property
    def storage_name(self) -> str:
        return f"sha256/{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


@track
@versioned
@pgtrigger.register(
    # The original is immutable: its bytes, name, case, uploader and lineage never change.
    pgtrigger.ReadOnly(
        name="evidencefile_receipt_read_only",
        fields=["blob", "case", "original_name", "uploaded_by", "channel", "derived_from", "original", "derivation"],
    ),
)
class EvidenceFile(BinnableModel, VigilModel):
    """A file received for a case: a photo, a letter, a video, the article itself;
    or a copy derived from one (``derived_from``) with what was done."""

    case_path = "case"
    bin_paths = ("", "case", "original", "source")

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="files", verbose_name=_("case"))
    blob = models.ForeignKey(StoredBlob, on_delete=models.PROTECT, related_name="files", verbose_name=_("blob"))
    original_name = models.CharField(
        max_length=255, help_text=_("The name it had when it was received."), verbose_name=_("original name")
    )
    description = models.TextField(blank=True, verbose_name=_("description"))
    source = models.ForeignKey(
        "events.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
        help_text=_("The source this file is (the original document)."),
        verbose_name=_("source"),
    )
    sensitive = models.BooleanField(
        default=False,
        help_text=_("Shown only to those allowed to see sensitive details (faces, health, identities)."),
        verbose_name=_("sensitive"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, verbose_name=_("channel"))
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="derivatives",
        verbose_name=_("derived from"),
    )
    original = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The first file of the chain a derived copy comes from."),
        verbose_name=_("original"),
    )
    derivation = models.CharField(_("what was done"), max_length=17, choices=Derivation.choices, blank=True)
    derivation_note = models.TextField(_("how"), blank=True, help_text=_('"Face of the second man blurred."'))

    objects = EvidenceFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["created_at", "id"]
        permissions = [("report_custody", "Can see a custody report, with every download, and sign it")]
        constraints = [
            models.CheckConstraint(
                name="evidencefile_derivative_says_what",
                condition=(Q(derived_from__isnull=True, original__isnull=True, derivation=""))
                | (Q(derived_from__isnull=False, original__isnull=False) & ~Q(derivation="")),
                violation_error_message="A derived copy names its original and what was done; an original neither.",
            ),
        ]
        indexes = [
            # A case's files (case page, custody report, export), oldest first.
            models.Index(fields=["case", "created_at"], name="evidencefile_case_idx"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("evidence:file_detail", args=[self.case.reference, self.pk])

    @property
    def is_derivative(self) -> bool:
        return self.derived_from_id is not None


LINKED_FIELDS = ("event", "person", "request", "intervention")


@track
@versioned
class FileLink(VigilModel):
    """A record an evidence file supports: an event, a person (an identifying
    photo), a request (a written request) or an intervention (our letter)."""

    case_path = "file__case"
    bin_paths = ("file", "file__case", "event", "person", "request")

    file = models.ForeignKey(EvidenceFile, on_delete=models.CASCADE, related_name="links", verbose_name=_("file"))
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="file_links",
        verbose_name=_("event"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="file_links",
        verbose_name=_("person"),
    )
    request = models.ForeignKey(
        "casework.StatedRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="file_links",
        verbose_name=_("request"),
    )
    intervention = models.ForeignKey(
        "casework.Intervention",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="file_links",
        verbose_name=_("intervention"),
    )

    objects = FileLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("record a file supports")
        verbose_name_plural = _("records files support")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="filelink_links_exactly_one_record",
                condition=exactly_one_of(LINKED_FIELDS),
                violation_error_message="A link names exactly one of: an event, a person, a request, an intervention.",
            ),
            *(
                models.UniqueConstraint(
                    fields=["file", name],
                    name=f"filelink_unique_{name}",
                    violation_error_message=f"The file already supports this {name}.",
                )
                for name in LINKED_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file} → {self.linked}"

    @property
    def linked(self) -> models.Model | None:
        return next((getattr(self, name) for name in LINKED_FIELDS if getattr(self, f"{name}_id")), None)


@pgtrigger.register(pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete))
class FileDownload(models.Model):
    """Who downloaded which file (and which bytes), when, through what and from
    where. Written on every download; only data managers read it."""

    # No database constraints: the log outlives a purged file or a deleted user.
    file = models.ForeignKey(
        EvidenceFile,
        on_delete=models.DO_NOTHING,
        related_name="downloads",
        db_constraint=False,
        db_index=False,
        verbose_name=_("file"),
    )
    sha256 = models.CharField(_("SHA-256 served"), max_length=64)
    variant = models.CharField(
        max_length=8, choices=Variant.choices, default=Variant.ORIGINAL, verbose_name=_("variant")
    )
    case_reference = models.CharField(max_length=20, verbose_name=_("case reference"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("user"),
    )
    username = models.CharField(max_length=150, verbose_name=_("username"))
    at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("at"))
    channel = models.CharField(max_length=20, verbose_name=_("channel"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("download of an evidence file")
        verbose_name_plural = _("downloads of evidence files")
        ordering = ["-at"]
        indexes = [
            # A file's downloads in its custody report.
            models.Index(fields=["file", "at"], name="filedownload_file_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} downloaded {self.sha256[:12]}… ({self.channel}, {self.at:%Y-%m-%d %H:%M})"


class VerificationRun(models.Model):
    """One pass of ``manage.py verify_files`` over every stored blob, in id order:
    an interrupted run resumes after ``last_blob_id``."""

    started_at = models.DateTimeField(auto_now_add=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    last_blob_id = models.BigIntegerField(
        default=0, help_text=_("Blobs up to this id are checked."), verbose_name=_("last blob id")
    )
    checked = models.PositiveIntegerField(default=0, verbose_name=_("checked"))
    mismatched = models.JSONField(
        default=list, blank=True, help_text=_("SHA-256 of blobs whose bytes changed."), verbose_name=_("mismatched")
    )
    missing = models.JSONField(
        default=list, blank=True, help_text=_("SHA-256 of blobs whose bytes are gone."), verbose_name=_("missing")
    )
    orphans = models.JSONField(
        default=list, blank=True, help_text=_("Stored names no blob accounts for."), verbose_name=_("orphans")
    )

    class Meta:
        verbose_name = _("verification run")
        verbose_name_plural = _("verification runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        state = f"finished {self.finished_at:%Y-%m-%d %H:%M}" if self.finished_at else "unfinished"
        return f"Verification of {self.started_at:%Y-%m-%d %H:%M} ({state}): {self.checked} checked"

    @property
    def is_clean(self) -> bool:
        return not (self.mismatched or self.missing or self.orphans)


class UploadSession(models.Model):
    """A resumable API upload: its bytes arrive in chunks (``PUT uploads/{id}/chunks/``
    with ``Upload-Offset``) into ``EVIDENCE_UPLOAD_DIR``; the last one makes the file.
    Only the user who started it sees it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
    source = models.ForeignKey(
        "events.Source", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("source")
    )
    name = models.CharField(max_length=255, verbose_name=_("name"))
    size = models.BigIntegerField(help_text=_("The whole file's size, in bytes."), verbose_name=_("size"))
    received = models.BigIntegerField(
        default=0, help_text=_("Bytes received so far: the next chunk's offset."), verbose_name=_("received")
    )
    sensitive = models.BooleanField(default=False, verbose_name=_("sensitive"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    file = models.ForeignKey(
        EvidenceFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("file")
    )

    objects = UploadSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("resumable upload")
        verbose_name_plural = _("resumable uploads")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.name}: {self.received} of {self.size} bytes"

    @property
    def part_path(self):
        return settings.EVIDENCE_UPLOAD_DIR / f"{self.pk}.part"
