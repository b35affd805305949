"""Upload, dry run, preview, saved mappings and the rejected rows' file."""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext

from casework.models import (
    Case,
    Confidentiality,
)
from exchange.imports.classify import _outcomes, classified
from exchange.imports.common import ACTIONS, CREATE, ERROR, REPORT_ROWS, Context, _open, _require
from exchange.mappings import load_mapping
from exchange.models import BatchState, ImportBatch, ImportMapping, ImportMode
from exchange.readers import FileProblem, sha256_of


def import_check(
    *,
    user,
    file,
    filename: str,
    mapping_spec: dict,
    mapping_name: str = "",
    options: dict | None = None,
    mode: str = ImportMode.ALL,
) -> ImportBatch:
    """Upload and dry run in one step (the command line and the API)."""
    batch = import_upload(user=user, file=file, filename=filename, options=options, mode=mode)
    try:
        return import_dry_run(batch=batch, user=user, mapping_spec=mapping_spec, mapping_name=mapping_name)
    except BaseException:
        batch.file.delete(save=False)
        batch.delete()
        raise


def import_upload(*, user, file, filename: str, options: dict | None = None, mode: str = ImportMode.ALL) -> ImportBatch:
    """Keep an uploaded file as a batch to be checked: refused when too large, not a
    table Vigil can read, or already imported (unless "update only")."""
    _require(user)
    options = dict(options or {})
    _check_options(options, user)
    if mode not in ImportMode.values:
        raise ValidationError({"mode": gettext("One of %(choices)s.") % {"choices": ", ".join(ImportMode.values)}})
    size = getattr(file, "size", None) or os.fstat(file.fileno()).st_size
    if size > settings.VIGIL_IMPORT_MAX_BYTES:
        raise FileProblem(
            gettext("The file is %(size)s MB; imports take at most %(most)s MB (VIGIL_IMPORT_MAX_BYTES): split it.")
            % {"size": f"{size / 1_048_576:.1f}", "most": f"{settings.VIGIL_IMPORT_MAX_BYTES / 1_048_576:.0f}"}
        )
    batch = ImportBatch(
        filename=os.path.basename(filename)[:255] or "import",
        size=size,
        mapping={},
        options=options,
        mode=mode,
        created_by=user,
    )
    batch.file.save(batch.filename, File(file), save=False)
    try:
        batch.sha256 = sha256_of(batch.file.path)
        earlier = (
            ImportBatch.objects.filter(sha256=batch.sha256)
            .exclude(state__in=[BatchState.CHECKED, BatchState.UNDONE])
            .order_by("created_at")
            .first()
        )
        if earlier and mode != ImportMode.UPDATE_ONLY:
            raise ValidationError(
                {
                    "file": gettext(
                        "This file was already imported (batch #%(pk)s, %(when)s, by %(who)s): "
                        "import it again as “update only”, or undo that batch first."
                    )
                    % {"pk": earlier.pk, "when": f"{earlier.created_at:%Y-%m-%d %H:%M}", "who": earlier.created_by}
                }
            )
        sheet = _open(batch)
        sheet.rows.close()
        batch.options = {**options, "encoding": sheet.encoding, "delimiter": sheet.delimiter, "sheet": sheet.sheet}
        batch.columns = sheet.columns
        batch.save()
    except BaseException:
        batch.file.delete(save=False)
        raise
    return batch


def import_dry_run(*, batch: ImportBatch, user, mapping_spec: dict, mapping_name: str = "") -> ImportBatch:
    """Classify every row of the batch's file through the mapping; nothing but the
    batch's report is written."""
    _require(user)
    if batch.state != BatchState.CHECKED:
        raise ValidationError(
            gettext("Batch #%(pk)s is %(state)s: it can no longer be checked.")
            % {"pk": batch.pk, "state": batch.get_state_display()}
        )
    sheet = _open(batch)
    try:
        mapping = load_mapping(mapping_spec, columns=sheet.columns)
        counts: Counter = Counter()
        report = []
        context = Context(user=user, batch=batch, mapping=mapping, write=False)
        for outcome in _outcomes(context, sheet.rows):
            counts[outcome.action] += 1
            if len(report) < REPORT_ROWS and (outcome.action != CREATE or counts[CREATE] <= 50):
                report.append(outcome.as_dict())
    finally:
        sheet.rows.close()
    batch.mapping, batch.mapping_name = mapping_spec, mapping_name
    batch.dry_run_counts = {action: counts[action] for action in ACTIONS} | {"rows": sum(counts.values())}
    batch.report = report
    batch.save()
    return batch


def preview_rows(*, batch: ImportBatch, limit: int = 8) -> list[dict[str, str]]:
    """The first rows of the batch's file, for the mapping builder."""
    sheet = _open(batch)
    rows = []
    try:
        for _number, values in sheet.rows:
            rows.append(values)
            if len(rows) >= limit:
                break
    finally:
        sheet.rows.close()
    return rows


def mapping_save(*, name: str, spec: dict, user) -> ImportMapping:
    """Save a mapping by name for the next file of the same shape."""
    _require(user)
    load_mapping(spec)
    if not name.strip():
        raise ValidationError({"mapping_name": gettext("Give the mapping a name.")})
    mapping, _created = ImportMapping.objects.update_or_create(
        name=name.strip()[:100], defaults={"spec": spec, "created_by": user}
    )
    return mapping


def _check_options(options: dict, user) -> None:
    problems = {}
    confidentiality = options.setdefault("confidentiality", Confidentiality.NORMAL)
    if confidentiality not in Confidentiality.values:
        problems["confidentiality"] = gettext("One of %(choices)s.") % {"choices": ", ".join(Confidentiality.values)}
    team = options.setdefault("team", [])
    if not isinstance(team, list):
        problems["team"] = gettext("A list of usernames.")
    else:
        from django.contrib.auth import get_user_model

        known = set(get_user_model().objects.filter(username__in=team).values_list("username", flat=True))
        if set(team) - known:
            problems["team"] = gettext("No such user: %(names)s.") % {"names": ", ".join(sorted(set(team) - known))}
    if options.get("case"):
        case = Case.objects.visible_to(user).filter(reference=options["case"]).first()
        if case is None:
            problems["case"] = gettext("No case %(reference)s that you may see.") % {"reference": options["case"]}
    if problems:
        raise ValidationError(problems)


# ------------------------------------------------------------------ rejected rows


def rejected_rows_csv(*, batch: ImportBatch, user) -> Iterator[str]:
    """The rows the dry run rejects, as they were in the file, with an ``errors``
    column: fix them and import that file."""
    _require(user)
    sheet = _open(batch)
    mapping = load_mapping(batch.mapping, columns=sheet.columns)
    context = Context(user=user, batch=batch, mapping=mapping, write=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(["row", *sheet.columns, "errors"])
    yield flush()
    for row, outcome in classified(context, sheet.rows):
        number, raw = row.number, row.raw
        if outcome.action != ERROR:
            continue
        message = "; ".join(
            f"{e['column'] or e['field']}: {e['message']}" if (e["column"] or e["field"]) else e["message"]
            for e in outcome.errors
        )
        from casework.views.export import spreadsheet_safe

        writer.writerow([number, *(spreadsheet_safe(raw.get(c, "")) for c in sheet.columns), spreadsheet_safe(message)])
        yield flush()
