"""Evidence in the admin: files (upload in the add form; receipt read-only),
the records they support, downloads and verification runs (data managers)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from casework.admin import CaseViewAdmin
from core.admin import AUDIT_FIELDS, VigilAdmin, VigilTabularInline
from core.forms import VersionedModelForm
from core.history import Channel
from evidence import services
from evidence.models import EvidenceFile, FileDownload, FileLink, VerificationRun


class FileLinkInline(VigilTabularInline):
    model = FileLink
    fields = ("event", "person", "request", "intervention")
    autocomplete_fields = ("event", "person", "request", "intervention")


class FileAddForm(VersionedModelForm):
    """The admin's upload: the file and what it is for; the service hashes, types and stores it."""

    upload = forms.FileField(
        label=_("File"), help_text=_("Kept as received, with its SHA-256; never changed afterwards.")
    )

    class Meta:
        model = EvidenceFile
        fields = ("case", "source", "sensitive", "description")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.request is None:
            return cleaned
        try:
            self.uploaded = services.file_upload(
                user=self.request.user,
                case=cleaned["case"],
                stream=cleaned["upload"],
                name=cleaned["upload"].name,
                channel=Channel.ADMIN,
                source=cleaned.get("source"),
                sensitive=cleaned.get("sensitive", False),
                description=cleaned.get("description", ""),
            )
        except ValidationError as error:
            errors = error.error_dict if hasattr(error, "error_dict") else {"upload": error.error_list}
            for field, problems in errors.items():
                self.add_error("upload" if field == "file" else (field if field in self.fields else None), problems)
        return cleaned

    def _post_clean(self):
        # The model instance is the service's, not built from the form.
        pass


@admin.register(EvidenceFile)
class EvidenceFileAdmin(VigilAdmin):
    list_display = (
        "original_name",
        "case",
        "media_type",
        "size",
        "sha256_short",
        "derivation",
        "sensitive",
        "created_at",
    )
    list_select_related = ("case", "blob")
    list_filter = ("derivation", "sensitive", "channel")
    search_fields = ("original_name", "blob__sha256", "case__reference")
    autocomplete_fields = ("case", "source")
    inlines = [FileLinkInline]
    readonly_fields = (
        "case", "original_name", "sha256", "media_type", "size", "uploaded_by", "channel",
        "derived_from", "derivation", "derivation_note", "download_link", *AUDIT_FIELDS,
    )  # fmt: skip
    fieldsets = [
        (None, {"fields": ["case", "original_name", "source", "sensitive", "description"]}),
        (
            _("Receipt"),
            {"fields": ["sha256", "media_type", "size", "uploaded_by", "channel", "download_link", *AUDIT_FIELDS]},
        ),
        (_("Derived copy"), {"fields": ["derived_from", "derivation", "derivation_note"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            base = super().get_form(request, obj, change=change, form=FileAddForm, fields=FileAddForm.Meta.fields)

            class RequestForm(base):
                def __init__(self, *args, **inner):
                    super().__init__(*args, request=request, **inner)

            return RequestForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["upload", "case", "source", "sensitive", "description"]})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        stored = form.uploaded.file
        obj.pk, obj.__dict__ = stored.pk, stored.__dict__
        return None

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.display(description=_("SHA-256"))
    def sha256(self, obj):
        return obj.blob.sha256

    @admin.display(description=_("SHA-256"), ordering="blob__sha256")
    def sha256_short(self, obj):
        return f"{obj.blob.sha256[:12]}…"

    @admin.display(description=_("type"))
    def media_type(self, obj):
        return obj.blob.media_type

    @admin.display(description=_("size (bytes)"))
    def size(self, obj):
        return obj.blob.size

    @admin.display(description=_("download"))
    def download_link(self, obj):
        return format_html('<a href="{}">Download (logged)</a>', f"{obj.get_absolute_url()}download/")


@admin.register(FileDownload)
class FileDownloadAdmin(CaseViewAdmin):
    """Who downloaded which file: read-only, for data managers (evidence.view_filedownload)."""

    list_display = ("at", "username", "case_reference", "file_id", "sha256", "variant", "channel", "ip_address")
    list_filter = ("channel", "variant")
    search_fields = ("username", "case_reference", "sha256", "ip_address")


@admin.register(VerificationRun)
class VerificationRunAdmin(CaseViewAdmin):
    """Each pass of verify_files and what it found: read-only, for data managers."""

    list_display = ("started_at", "finished_at", "checked", "mismatched", "missing", "orphans")
    list_filter = ()
    search_fields = ()
    date_hierarchy = "started_at"
