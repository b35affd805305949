"""Imports (mappings, batches and what each batch wrote) and prepared exports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import BinnableModel


class ImportMapping(models.Model):
    """A saved mapping of a spreadsheet's columns to Vigil's fields (exchange/mappings.py)."""

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    spec = models.JSONField(
        help_text=_('{"columns": {"Column": "person.names", ...}}: see docs/exchange.md.'), verbose_name=_("mapping")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
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

    file = models.FileField(upload_to="imports/%Y/%m/", verbose_name=_("file"))
    filename = models.CharField(max_length=255, verbose_name=_("filename"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(verbose_name=_("size"))
    columns = models.JSONField(
        default=list, help_text=_("The file's column names, as read."), verbose_name=_("columns")
    )
    mapping = models.JSONField(default=dict, verbose_name=_("mapping"))
    mapping_name = models.CharField(max_length=100, blank=True, verbose_name=_("mapping name"))
    options = models.JSONField(
        default=dict, help_text=_("encoding, delimiter, sheet, case, confidentiality, team"), verbose_name=_("options")
    )
    mode = models.CharField(max_length=11, choices=ImportMode.choices, default=ImportMode.ALL, verbose_name=_("mode"))
    state = models.CharField(
        max_length=9, choices=BatchState.choices, default=BatchState.CHECKED, verbose_name=_("status")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    committed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("committed at"))
    rows_done = models.PositiveIntegerField(
        default=0, help_text=_("Rows of the file committed so far."), verbose_name=_("rows done")
    )
    counts = models.JSONField(
        default=dict, help_text=_("Rows by outcome: create, update, link, skip, error."), verbose_name=_("counts")
    )
    dry_run_counts = models.JSONField(default=dict, verbose_name=_("dry-run counts"))
    report = models.JSONField(
        default=list,
        help_text=_("The dry run's first rows and every row with an error (capped)."),
        verbose_name=_("report"),
    )
    message = models.TextField(blank=True, verbose_name=_("message"))
    undone_at = models.DateTimeField(null=True, blank=True, verbose_name=_("undone at"))
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
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

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records", verbose_name=_("batch"))
    row = models.PositiveIntegerField(verbose_name=_("row"))
    model = models.CharField(max_length=60, help_text=_('"people.person", ...'), verbose_name=_("model"))
    object_id = models.BigIntegerField(verbose_name=_("object ID"))
    created = models.BooleanField(
        help_text=_("Created by the batch (else changed: ``before`` holds the old values)."), verbose_name=_("created")
    )
    before = models.JSONField(default=dict, verbose_name=_("values before"))
    undone = models.JSONField(
        default=dict,
        help_text=_(
            'What undoing did, for restoring the batch from the bin: {"binned": true}, '
            '{"row": {...}} (a row that has no bin of its own, kept whole) or {"after": {...}} (the values put back over).'
        ),
        verbose_name=_("undone"),
    )

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        ordering = ["batch_id", "id"]
        indexes = [models.Index(fields=["batch", "model"], name="importedrecord_batch_idx")]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id} (row {self.row})"


class ExportProfile(models.Model):
    """A partner profile a data manager defined: which fields of which records a
    partner's export carries (chosen among the fields core/exposure/ lets out)."""

    name = models.CharField(
        max_length=100,
        unique=True,
        help_text=_("What exporters choose it by (never full, partner or public)."),
        verbose_name=_("name"),
    )
    description = models.TextField(
        blank=True, help_text=_("For whom, and why these fields."), verbose_name=_("description")
    )
    fields = models.JSONField(
        help_text=_('{"people": ["display_name", "status"], "cases": ["reference"], ...}'), verbose_name=_("fields")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("export profile")
        verbose_name_plural = _("export profiles")
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

    profile = models.CharField(
        max_length=100,
        help_text=_("full, partner, public or a saved partner profile's name"),
        verbose_name=_("profile"),
    )
    channel = models.CharField(max_length=20, default="dashboard", verbose_name=_("channel"))
    format = models.CharField(max_length=20, help_text=_('"xlsx:workbook", "csv:files", ...'), verbose_name=_("format"))
    filters = models.TextField(blank=True, verbose_name=_("filters"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(auto_now_add=True, verbose_name=_("requested at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved at"))
    state = models.CharField(
        max_length=8, choices=ExportState.choices, default=ExportState.PENDING, verbose_name=_("status")
    )
    file = models.FileField(upload_to="exports/", blank=True, verbose_name=_("file"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(default=0, verbose_name=_("rows"))
    expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("expires at"))
    message = models.TextField(blank=True, help_text=_("Why it failed."), verbose_name=_("message"))

    class Meta:
        verbose_name = _("prepared export")
        verbose_name_plural = _("prepared exports")
        ordering = ["-requested_at", "-id"]
        permissions = [("export_full", "Can make (and approve) full exports")]

    def __str__(self) -> str:
        return f"{self.profile} export #{self.pk} ({self.get_state_display()})"
