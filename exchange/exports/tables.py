"""The exported tables, their rows as a user may see them, and the files they are written to."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from casework.filtersets import CaseFilterSet
from casework.models import Case, CaseNote, CaseSubject, StatedRequest
from casework.views.export import spreadsheet_safe
from core import exposure
from core.access import sees_sensitive
from events.models import Event
from exchange.exports.profiles import (
    FORMATS,
    LAYOUTS,
    PROGRESS_EVERY,
    PUBLIC_COLUMNS,
    TABLES,
    Column,
    Profile,
    _public_column,
    check_may_export,
    exportable_fields,
    field,
    resolve_profile,
    sensitive_fields,
)
from people.models import Detention, Person, PersonIdentifier, PersonName


def filtered_cases(*, user, params, request=None):
    """The cases the user may see, filtered as in the cases list (400 on a bad filter)."""
    cases = Case.objects.visible_to(user).select_related("lead").order_by("reference")
    filterset = CaseFilterSet(params or None, queryset=cases, request=request)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return filterset.qs


def _querysets(*, user, profile: Profile, cases) -> dict[str, object]:
    case_ids = cases.values("pk")
    subjects = CaseSubject.objects.visible_to(user).filter(case__in=case_ids)
    person_ids = subjects.values("person_id")
    querysets = {
        "cases": cases,
        "people": Person.objects.visible_to(user).filter(pk__in=person_ids).order_by("pk"),
        "person_names": PersonName.objects.visible_to(user).filter(person__in=person_ids).order_by("pk"),
        "person_identifiers": PersonIdentifier.objects.visible_to(user).filter(person__in=person_ids).order_by("pk"),
        "case_subjects": subjects.order_by("pk"),
        "detentions": Detention.objects.visible_to(user).filter(person__in=person_ids).order_by("pk"),
        "requests": StatedRequest.objects.visible_to(user).filter(case__in=case_ids).order_by("pk"),
        "events": Event.objects.visible_to(user).filter(case__in=case_ids).order_by("pk"),
        "notes": CaseNote.objects.visible_to(user).filter(case__in=case_ids).order_by("pk"),
    }
    if profile.kind != "full":  # records sensitive by their values (a welfare incident) stay home
        for table, label in TABLES.items():
            for name, values in exposure.SENSITIVE_ROWS.get(label, ()):
                querysets[table] = querysets[table].exclude(**{f"{name}__in": values})
    return querysets


def columns_for(*, user, profile: Profile, querysets=None) -> dict[str, list[Column]]:
    """Each table's columns: the profile's fields less what ``user`` may not read."""
    if profile.kind == "public":
        regions = _regions(querysets["detentions"]) if querysets else set()
        return {table: [_public_column(*column, regions=regions) for column in columns]
                for table, columns in PUBLIC_COLUMNS.items()}  # fmt: skip
    found = {}
    for table, names in profile.fields.items():
        hidden = set() if sees_sensitive(user) else sensitive_fields(table)
        exportable = exportable_fields(table)
        found[table] = [field(name) for name in names if name in exportable and name not in hidden]
    return found


def _regions(detentions) -> set[tuple[str, str]]:
    """The (region, country) pairs shared by at least ``VIGIL_EXPORT_SMALL_COUNT`` of the exported
    detentions: a region fewer share would point at a few people, and is left out."""
    from django.db.models import Count

    threshold = settings.VIGIL_EXPORT_SMALL_COUNT
    shared = detentions.exclude(region="").order_by().values("region", "country").annotate(n=Count("pk"))
    return {(row["region"], str(row["country"])) for row in shared.filter(n__gte=threshold)}


def tables(
    *, user, profile: Profile | str, cases, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[str, list[str], Iterator[list]]]:
    """(table, headings, rows) for each table of the profile, rows streamed; ``progress``
    hears the rows written so far, every ``PROGRESS_EVERY``."""
    if isinstance(profile, str):
        profile = resolve_profile(profile)
    querysets = _querysets(user=user, profile=profile, cases=cases)
    written = [0]
    for table, columns in columns_for(user=user, profile=profile, querysets=querysets).items():

        def rows(queryset=querysets[table], columns=columns):
            for obj in queryset.iterator(chunk_size=2000):
                yield [column.read(obj) for column in columns]
                written[0] += 1
                if progress and written[0] % PROGRESS_EVERY == 0:
                    progress(written[0])

        yield table, [c.name for c in columns], rows()
    if profile.kind == "public":
        yield "summary", ["what", "value", "count"], iter(_summary(querysets))


def _summary(querysets) -> list[list]:
    """Counts by status and nationality, those below the threshold shown as "fewer than N"."""
    threshold = settings.VIGIL_EXPORT_SMALL_COUNT
    rows = []
    people = querysets["people"]
    for what, counter in (
        ("people by status", Counter(people.values_list("status", flat=True))),
        ("people by nationality", Counter(str(c) for c in people.values_list("nationality", flat=True))),
        ("requests by category", Counter(querysets["requests"].values_list("category", flat=True))),
        ("requests by status", Counter(querysets["requests"].values_list("status", flat=True))),
    ):
        for value, count in sorted(counter.items()):
            rows.append([what, value, count if count >= threshold else f"fewer than {threshold}"])
    return rows


def _cell(value):
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, (int, float, datetime.date)) or value is None:
        return value
    return spreadsheet_safe(value)


def _json_value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def write(*, out, fmt: str, layout: str, named_tables) -> int:
    """Write the tables to the binary file ``out``; returns the number of rows."""
    if fmt not in FORMATS:
        raise ValidationError({"format": gettext("One of %(choices)s.") % {"choices": ", ".join(FORMATS)}})
    if layout not in LAYOUTS:
        raise ValidationError({"layout": gettext("One of %(choices)s.") % {"choices": ", ".join(LAYOUTS)}})
    if fmt == "xlsx" and layout == "workbook":
        return _write_workbook(out, named_tables)
    if fmt == "json" and layout == "workbook":
        return _write_json(out, named_tables)
    total = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, headings, rows in named_tables:
            with tempfile.TemporaryFile() as part:
                if fmt == "csv":
                    total += _write_csv(part, headings, rows)
                elif fmt == "xlsx":
                    total += _write_workbook(part, [(name, headings, rows)])
                else:
                    total += _write_json(part, [(name, headings, rows)])
                part.seek(0)
                with archive.open(f"{name}.{fmt}", "w") as member:
                    while chunk := part.read(1024 * 1024):
                        member.write(chunk)
    return total


def _write_csv(out, headings, rows) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(headings)
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_safe(value) if value is not None else "" for value in row])
        count += 1
    text.detach()
    return count


def _write_workbook(out, named_tables) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    count = 0
    for name, headings, rows in named_tables:
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append(headings)
        for row in rows:
            sheet.append([_cell(value) for value in row])
            count += 1
    workbook.save(out)
    return count


def _write_json(out, named_tables) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    count = 0
    text.write("{")
    for index, (name, headings, rows) in enumerate(named_tables):
        text.write(("," if index else "") + json.dumps(name) + ":[")
        for number, row in enumerate(rows):
            record = {h: _json_value(v) for h, v in zip(headings, row, strict=True)}
            text.write(("," if number else "") + json.dumps(record, ensure_ascii=False, default=str))
            count += 1
        text.write("]")
    text.write("}")
    text.detach()
    return count


def export_to_file(*, user, profile: str, fmt: str, layout: str, params, out, request=None,
                   progress: Callable[[int], None] | None = None) -> tuple[int, str]:  # fmt: skip
    """Export into the binary file ``out`` (rewound afterwards): (rows, SHA-256)."""
    resolved = check_may_export(user=user, profile=profile)
    cases = filtered_cases(user=user, params=params, request=request)
    named = tables(user=user, profile=resolved, cases=cases, progress=progress)
    rows = write(out=out, fmt=fmt, layout=layout, named_tables=named)
    out.seek(0)
    digest = hashlib.sha256()
    while chunk := out.read(1024 * 1024):
        digest.update(chunk)
    out.seek(0)
    return rows, digest.hexdigest()


def filename_for(*, profile: str, fmt: str, layout: str) -> tuple[str, str]:
    """The download's name and content type."""
    from django.utils.text import slugify

    profile = slugify(profile) or "export"
    if (fmt, layout) == ("xlsx", "workbook"):
        return f"vigil-{profile}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if (fmt, layout) == ("json", "workbook"):
        return f"vigil-{profile}.json", "application/json"
    return f"vigil-{profile}-{fmt}.zip", "application/zip"
