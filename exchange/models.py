"""Imports (mappings, batches and what each batch wrote) and prepared exports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import BinnableModel


class ImportMapping(models.Model):
    """A saved mapping of a spreadsheet's columns to Vigil's fields (exchange/mappings.py)."""

    name = models.CharField(max_length=100, unique=True)
    spec = models.JSONField(help_text=_('{"columns": {"Column": "person.names", ...}}: see docs/exchange.md.'))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import mapping")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BatchState(models.TextChoices):
    CHECKED = "checked", _("checked (dry run)")
    QUEUED = "queued", _("waiting for a worker")
    RUNNING = "running", _("importing")
    COMMITTED = "committed", _("imported")
    FAILED = "failed", _("stopped (resumable)")
    UNDONE = "undone", _("undone")


class ImportMode(models.TextChoices):
    ALL = "all", _("create and update")
    UPDATE_ONLY = "update_only", _("update only (no new records)")


class ImportBatch(BinnableModel):
    """One file brought in: who, when, the file's SHA-256, the mapping, the options and the counts.

    Rows are committed in chunks (``VIGIL_IMPORT_CHUNK_ROWS``), each atomic, and
    ``rows_done`` moves with each chunk in the same transaction: a batch that
    stopped resumes after its last chunk. An undone batch is in the bin, with
    every record it created: restoring it from the bin imports it again.
    """

    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    columns = models.JSONField(default=list, help_text=_("The file's column names, as read."))
    mapping = models.JSONField(default=dict)
    mapping_name = models.CharField(max_length=100, blank=True)
    options = models.JSONField(default=dict, help_text=_("encoding, delimiter, sheet, case, confidentiality, team"))
    mode = models.CharField(max_length=11, choices=ImportMode.choices, default=ImportMode.ALL)
    state = models.CharField(max_length=9, choices=BatchState.choices, default=BatchState.CHECKED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0, help_text=_("Rows of the file committed so far."))
    counts = models.JSONField(default=dict, help_text=_("Rows by outcome: create, update, link, skip, error."))
    dry_run_counts = models.JSONField(default=dict)
    report = models.JSONField(
        default=list, help_text=_("The dry run's first rows and every row with an error (capped).")
    )
    message = models.TextField(blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]
        permissions = [("import_records", "Can import records from spreadsheets and undo an import")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("import_detail", args=[self.pk])

    def bin_details(self) -> list[str]:
        """What undoing the batch took away and restoring it brings back, kind by kind
        (the bin shows it under the batch, for the data manager about to restore it)."""
        from django.apps import apps
        from django.db.models import Count, Q

        if self.state != BatchState.UNDONE:
            return []
        found = self.records.values("model").annotate(
            binned=Count("pk", filter=Q(undone__binned=True)),
            kept=Count("pk", filter=Q(undone__has_key="row")),
            after=Count("pk", filter=Q(undone__has_key="after")),
        )
        parts: dict[str, list[str]] = {"binned": [], "kept": [], "after": []}
        for row in found.order_by("model"):
            try:
                meta = apps.get_model(row["model"])._meta
            except LookupError:
                continue
            for key in parts:
                if row[key]:
                    name = meta.verbose_name if row[key] == 1 else meta.verbose_name_plural
                    parts[key].append(f"{row[key]} {name}")
        lines = []
        if parts["binned"]:
            lines.append(_("In the bin with it, back with it: %(what)s.") % {"what": ", ".join(parts["binned"])})
        if parts["kept"]:
            lines.append(
                _("Removed and kept in it, back with their ids: %(what)s.") % {"what": ", ".join(parts["kept"])}
            )
        if parts["after"]:
            lines.append(_("Changes it made, put back, set again: %(what)s.") % {"what": ", ".join(parts["after"])})
        return lines

    def restore_from_bin(self, *, user) -> bool:
        """Restoring an undone batch from the bin redoes it (exchange.imports.import_redo)."""
        from exchange.imports import import_redo

        import_redo(batch=self, user=user)
        return True


class ImportedRecord(models.Model):
    """A record an import batch created or changed: what undoing the batch reverses."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    row = models.PositiveIntegerField()
    model = models.CharField(max_length=60, help_text=_('"people.person", ...'))
    object_id = models.BigIntegerField()
    created = models.BooleanField(help_text=_("Created by the batch (else changed: ``before`` holds the old values)."))
    before = models.JSONField(default=dict)
    undone = models.JSONField(
        default=dict,
        help_text=_(
            'What undoing did, for restoring the batch from the bin: {"binned": true}, '
            '{"row": {...}} (a row that has no bin of its own, kept whole) or {"after": {...}} (the values put back over).'
        ),
    )

    class Meta:
        verbose_name = _("imported record")
        ordering = ["batch_id", "id"]
        indexes = [models.Index(fields=["batch", "model"], name="importedrecord_batch_idx")]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id} (row {self.row})"


class ExportProfile(models.Model):
    """A partner profile a data manager defined: which fields of which records a
    partner's export carries (chosen among the fields core/exposure/ lets out)."""

    name = models.CharField(
        max_length=100, unique=True, help_text=_("What exporters choose it by (never full, partner or public).")
    )
    description = models.TextField(blank=True, help_text=_("For whom, and why these fields."))
    fields = models.JSONField(help_text=_('{"people": ["display_name", "status"], "cases": ["reference"], ...}'))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("export profile")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExportState(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    QUEUED = "queued", _("waiting for a worker")
    RUNNING = "running", _("being written")
    READY = "ready", _("ready to download")
    FAILED = "failed", _("failed")
    REFUSED = "refused", _("refused")


class PreparedExport(models.Model):
    """An export written by a job to a file and downloaded later, within ``VIGIL_EXPORT_DOWNLOAD_HOURS``
    (a full export may first wait for a second data manager's approval)."""

    profile = models.CharField(max_length=100, help_text=_("full, partner, public or a saved partner profile's name"))
    channel = models.CharField(max_length=20, default="dashboard")
    format = models.CharField(max_length=20, help_text=_('"xlsx:workbook", "csv:files", ...'))
    filters = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=ExportState.choices, default=ExportState.PENDING)
    file = models.FileField(upload_to="exports/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True, help_text=_("Why it failed."))

    class Meta:
        verbose_name = _("prepared export")
        ordering = ["-requested_at", "-id"]
        permissions = [("export_full", "Can make (and approve) full exports")]

    def __str__(self) -> str:
        return f"{self.profile} export #{self.pk} ({self.get_state_display()})"
