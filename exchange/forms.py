"""The import pages' forms: the upload, and the mapping builder (one row per column of the file)."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.models import Confidentiality
from exchange.mappings import TARGETS
from exchange.models import ImportMapping, ImportMode

#: What a column's heading usually means: the builder's first guess.
GUESSES = {
    "name": "person.names", "names": "person.names", "full name": "person.names", "이름": "person.names",
    "born": "person.birth", "birth": "person.birth", "date of birth": "person.birth", "dob": "person.birth",
    "age": "person.age_estimate", "nationality": "person.nationality", "status": "person.status",
    "icrc": "person.identifier.icrc", "icrc no.": "person.identifier.icrc", "icrc number": "person.identifier.icrc",
    "service number": "person.identifier.service_number", "case": "case.title", "case reference": "case.reference",
    "held at": "detention.facility", "facility": "detention.facility", "since": "detention.started",
    "detained since": "detention.started", "request": "request.category", "request status": "request.status",
    "note": "note.body", "notes": "note.body", "rank": "person.rank", "unit": "person.unit", "sex": "person.sex",
}  # fmt: skip


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("CSV (any delimiter or encoding) or XLSX."))
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        choices=Confidentiality.choices,
        initial=Confidentiality.NORMAL,
        help_text=_("Of the cases the import creates."),
    )
    team = forms.CharField(
        label=_("Team"), required=False, help_text=_("Usernames, comma-separated: the team of the cases it creates.")
    )
    case = forms.CharField(required=False, label=_("Put every row in case"), help_text=_("A reference: VIG-2025-0001."))
    mode = forms.ChoiceField(label=_("Mode"), choices=ImportMode.choices, initial=ImportMode.ALL)
    encoding = forms.CharField(
        label=_("Encoding"), required=False, help_text=_("Leave empty to detect (e.g. cp1251, euc-kr, utf-16).")
    )
    delimiter = forms.CharField(
        label=_("Delimiter"), required=False, max_length=1, strip=False, help_text=_("Leave empty to detect.")
    )
    sheet = forms.CharField(
        label=_("Sheet"), required=False, help_text=_("XLSX: the sheet to read (default: the first).")
    )

    def clean_team(self):
        names = [name.strip() for name in self.cleaned_data["team"].split(",") if name.strip()]
        known = set(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))
        unknown = sorted(set(names) - known)
        if unknown:
            raise forms.ValidationError(gettext("No such user: %(names)s.") % {"names": ", ".join(unknown)})
        return names

    def options(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("confidentiality", "team", "case", "encoding", "delimiter", "sheet")}


def target_choices():
    return [("skip", "— leave out —"), *((t, t) for t in TARGETS if t != "skip")]


class MappingForm(forms.Form):
    """One field, separator and choices per column of the file; or a mapping as JSON."""

    mapping_json = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Or paste JSON"))
    save_as = forms.CharField(required=False, max_length=100, label=_("Save this mapping as"))

    def __init__(self, *args, columns: list[str], initial_spec: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        spec = (initial_spec or {}).get("columns", {})
        for index, column in enumerate(columns):
            entry = spec.get(column) or {"field": GUESSES.get(column.strip().lower(), "skip")}
            entry = {"field": entry} if isinstance(entry, str) else entry
            choices = "; ".join(f"{k}={v}" for k, v in (entry.get("choices") or {}).items())
            self.fields[f"field_{index}"] = forms.ChoiceField(
                choices=target_choices(), initial=entry.get("field", "skip"), label=column, required=False
            )
            self.fields[f"split_{index}"] = forms.CharField(
                required=False, initial=entry.get("split", ""), strip=False, label=_("split on")
            )
            self.fields[f"choices_{index}"] = forms.CharField(
                required=False, initial=choices, label=_("translate"), help_text=_("held=in_detention; freed=released")
            )

    def rows(self):
        return [
            (column, self[f"field_{i}"], self[f"split_{i}"], self[f"choices_{i}"])
            for i, column in enumerate(self.columns)
        ]

    def spec(self) -> dict:
        data = self.cleaned_data
        if data.get("mapping_json", "").strip():
            try:
                return json.loads(data["mapping_json"])
            except ValueError as error:
                raise forms.ValidationError(
                    {"mapping_json": gettext("Not JSON: %(error)s") % {"error": error}}
                ) from None
        columns = {}
        for index, column in enumerate(self.columns):
            target = data[f"field_{index}"]
            if target in ("skip", ""):
                continue
            entry = {"field": target}
            if data[f"split_{index}"]:
                entry["split"] = data[f"split_{index}"]
            pairs = [part.split("=", 1) for part in data[f"choices_{index}"].split(";") if "=" in part]
            if pairs:
                entry["choices"] = {key.strip(): value.strip() for key, value in pairs}
            columns[column] = entry
        return {"columns": columns}


class SavedMappingForm(forms.Form):
    mapping = forms.ModelChoiceField(
        label=_("Mapping"), queryset=ImportMapping.objects.all(), to_field_name="name", required=False
    )


#: The built-in profiles (exchange/exports/profiles.py), then those data managers saved.
BUILT_IN_CHOICES = [
    ("public", "public: redacted, pseudonyms, no free text"),
    ("partner", "partner: names and statuses, no notes, no sensitive details"),
    ("full", "full: everything you may see (a download that expires)"),
]


class ExportForm(forms.Form):
    """The export page's profile, format and layout (the filters are the cases list's)."""

    profile = forms.ChoiceField()
    format = forms.ChoiceField(choices=[("xlsx", "XLSX"), ("csv", "CSV"), ("json", "JSON")])
    layout = forms.ChoiceField(
        choices=[("workbook", "one file (a sheet or key per kind of record)"), ("files", "a zip, one file per kind")]
    )

    def __init__(self, *args, user, **kwargs):
        from exchange.selectors import saved_profile_names

        super().__init__(*args, **kwargs)
        saved = [(name, f"{name}: a partner profile") for name in saved_profile_names(user=user)]
        self.fields["profile"].choices = [*BUILT_IN_CHOICES, *saved]
