"""Export profiles: what leaves Vigil, for whom, in which format.

A profile is an allow-list of fields per table, and the classification in
core/exposure/ is what every list is drawn from (one source of truth):

``full``     data managers: every shown and sensitive field of every table
             (``exportable_fields``), sensitive ones only for who has
             ``people.view_sensitive``; a new shown field is exported as soon
             as it is classified.
``partner``  a subset for a partner organisation (``PARTNER_FIELDS``: names and
             statuses, what was asked and where it stands), or a profile a data
             manager saved (``ExportProfile``): its allow-list is checked field by
             field against the classification, and an exporter never gets a
             sensitive field they may not read. Records sensitive by their values
             (``SENSITIVE_ROWS``: a welfare incident, a service number) stay home.
``public``   redacted: every column reads one *shown* field and generalises it —
             people and cases under stable pseudonyms, years instead of dates,
             countries, a fixed list of choices, never free text, never a name,
             identifier or note (``check_public_columns`` enforces it); a place of
             detention generalised to its region (``Detention.region``, the first
             administrative level) when at least ``VIGIL_EXPORT_SMALL_COUNT``
             detentions share it, else to its country; counts below the same
             threshold suppressed in the summary.

Exports are written by a job (``exchange.run_export``, exchange/tasks.py) to a
``PreparedExport`` downloaded by its asker until it expires; a full export may
first wait for a second data manager (``VIGIL_EXPORT_FULL_NEEDS_APPROVAL``). The
dashboard still hands partner and public exports over at once.

Formats: CSV (a zip of one file per model), XLSX (one workbook, a sheet per
model; or a zip of one workbook per model), JSON (one object of lists, field
names as in the API). Every text cell is neutralised against formula injection
(casework.views.export.spreadsheet_safe) in CSV and XLSX. The rows come from
``visible_to(user)`` and the cases list's filters; every export is logged
(casework.view_log.export_record) with its SHA-256, never its rows.
"""

from exchange.exports.prepared import (
    export_approve,
    export_full_request,
    export_request,
    export_run,
    prepared_download,
)
from exchange.exports.profiles import (
    BUILT_IN,
    CHOICE,
    EXPORT_PERMISSION,
    FORMATS,
    FULL_PERMISSION,
    LAYOUTS,
    PARTNER_FIELDS,
    PUBLIC_COLUMNS,
    PUBLIC_WITHHELD,
    REGION,
    TABLES,
    Profile,
    check_allow_list,
    check_may_export,
    check_public_columns,
    choosable_fields,
    exportable_fields,
    profile_check,
    profile_delete,
    profile_names,
    profile_save,
    pseudonym,
    resolve_profile,
    sensitive_fields,
)
from exchange.exports.tables import columns_for, export_to_file, filename_for, filtered_cases, tables, write

__all__ = [
    "BUILT_IN",
    "CHOICE",
    "EXPORT_PERMISSION",
    "FORMATS",
    "FULL_PERMISSION",
    "LAYOUTS",
    "PARTNER_FIELDS",
    "PUBLIC_COLUMNS",
    "PUBLIC_WITHHELD",
    "REGION",
    "TABLES",
    "Profile",
    "check_allow_list",
    "check_may_export",
    "check_public_columns",
    "choosable_fields",
    "columns_for",
    "export_approve",
    "export_full_request",
    "export_request",
    "export_run",
    "export_to_file",
    "exportable_fields",
    "filename_for",
    "filtered_cases",
    "prepared_download",
    "profile_check",
    "profile_delete",
    "profile_names",
    "profile_save",
    "pseudonym",
    "resolve_profile",
    "sensitive_fields",
    "tables",
    "write",
]
