"""Export profiles: what leaves Vigil, for whom, in which format.

A profile is an allow-list of fields per model:

``full``     data managers: every field the exporter may see (sensitive ones
             only with ``people.view_sensitive``); delivered as a download
             that expires, after a second data manager's approval when
             ``VIGIL_EXPORT_FULL_NEEDS_APPROVAL`` is on.
``partner``  a subset for a partner organisation: names and statuses, what was
             asked and where it stands; no notes, no sensitive field, no identifier.
``public``   redacted: no name (people under stable pseudonyms), no free text,
             no sensitive field, no note, no identifier; places generalised to
             the country; counts below ``VIGIL_EXPORT_SMALL_COUNT`` suppressed.

Formats: CSV (a zip of one file per model), XLSX (one workbook, a sheet per
model; or a zip of one workbook per model), JSON (one object of lists, field
names as in the API). Every text cell is neutralised against formula injection
(casework.views.export.spreadsheet_safe) in CSV and XLSX. The rows come from
``visible_to(user)`` and the cases list's filters; every export is logged
(casework.services.export_record) with its SHA-256, never its rows.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import hmac
import io
import json
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from casework.access import sees_sensitive
from casework.api.filters import CaseFilterSet
from casework.models import Case, CaseNote, CaseSubject, StatedRequest
from casework.views.export import spreadsheet_safe
from events.models import Event
from exchange.models import ExportState, PreparedExport
from people.models import Detention, Person, PersonIdentifier, PersonName

FORMATS = ("csv", "xlsx", "json")
LAYOUTS = ("workbook", "files")
EXPORT_PERMISSION = "casework.export_cases"
FULL_PERMISSION = "exchange.export_full"


def pseudonym(kind: str, pk: int) -> str:
    """A stable pseudonym: the same record gets the same one in every public export,
    and it cannot be turned back into the id without the server's secret."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
    return f"{kind[0].upper()}-{digest[:10]}"


def _year(value) -> str:
    return str(value.year) if value else ""


def _country(value) -> str:
    return value.name if value else ""


@dataclass(frozen=True)
class Column:
    """An exported column: its heading and how to read it from a row."""

    name: str
    read: Callable


def field(name: str) -> Column:
    def read(obj):
        value = getattr(obj, name)
        if hasattr(value, "code"):  # a country
            return value.code or ""
        if hasattr(value, "pk"):
            return value.pk
        if isinstance(value, list):
            return ", ".join(map(str, value))
        return value

    return Column(name, read)


def fields(*names: str) -> list[Column]:
    return [field(name) for name in names]


PERSON_SHOWN = ("id", "display_name", "name_original", "sex", "birth_date", "birth_date_precision", "age_estimate",
                "place_of_birth", "nationality", "legal_status", "status", "description", "identifying_features",
                "rank", "unit", "depends_on", "created_at", "updated_at")  # fmt: skip

PROFILES: dict[str, dict[str, list[Column]]] = {
    "full": {
        "cases": fields(
            "id",
            "reference",
            "title",
            "summary",
            "status",
            "priority",
            "confidentiality",
            "lead",
            "opened_on",
            "closed_on",
            "next_review_on",
            "tags",
        ),
        "people": fields(*PERSON_SHOWN, *Person.SENSITIVE_FIELDS),
        "person_names": fields("id", "person", "name", "kind", "language", "note"),
        "person_identifiers": fields("id", "person", "kind", "value", "issuer"),
        "case_subjects": fields("id", "case", "person", "role"),
        "detentions": fields(
            "id",
            "person",
            "facility",
            "locality",
            "country",
            "authority",
            "started_on",
            "started_on_precision",
            "ended_on",
            "ended_on_precision",
            "conditions",
        ),
        "requests": fields(
            "id",
            "case",
            "person",
            "category",
            "summary",
            "words",
            "destination_country",
            "addressed_to",
            "first_stated_on",
            "first_stated_on_precision",
            "channel",
            "status",
            "freely_expressed",
        ),
        "events": fields(
            "id",
            "case",
            "occurred_on",
            "occurred_on_precision",
            "kind",
            "title",
            "description",
            "place",
            "country",
            "sensitivity",
        ),
        "notes": fields("id", "case", "author", "body", "created_at"),
    },
    "partner": {
        "cases": fields("reference", "title", "status", "opened_on"),
        "people": fields("id", "display_name", "name_original", "sex", "nationality", "legal_status", "status"),
        "case_subjects": fields("case", "person", "role"),
        "detentions": fields("person", "country", "started_on", "started_on_precision", "ended_on"),
        "requests": fields(
            "case",
            "person",
            "category",
            "summary",
            "destination_country",
            "first_stated_on",
            "first_stated_on_precision",
            "status",
        ),
        "events": fields("case", "occurred_on", "occurred_on_precision", "kind", "title", "country"),
    },
    "public": {
        "cases": [
            Column("case", lambda c: pseudonym("case", c.pk)),
            Column("status", lambda c: c.status),
            Column("opened", lambda c: _year(c.opened_on)),
        ],
        "people": [
            Column("person", lambda p: pseudonym("person", p.pk)),
            Column("sex", lambda p: p.sex),
            Column("born", lambda p: _year(p.birth_date)),
            Column("nationality", lambda p: _country(p.nationality)),
            Column("legal_status", lambda p: p.legal_status),
            Column("status", lambda p: p.status),
        ],
        "case_subjects": [
            Column("case", lambda s: pseudonym("case", s.case_id)),
            Column("person", lambda s: pseudonym("person", s.person_id)),
            Column("role", lambda s: s.role),
        ],
        "detentions": [
            Column("person", lambda d: pseudonym("person", d.person_id)),
            Column("country", lambda d: _country(d.country)),  # the place, generalised to its country
            Column("from", lambda d: _year(d.started_on)),
            Column("until", lambda d: _year(d.ended_on)),
        ],
        "requests": [
            Column("case", lambda r: pseudonym("case", r.case_id)),
            Column("person", lambda r: pseudonym("person", r.person_id)),
            Column("category", lambda r: r.category),
            Column("destination", lambda r: _country(r.destination_country)),
            Column("first_stated", lambda r: _year(r.first_stated_on)),
            Column("status", lambda r: r.status),
        ],
        "events": [
            Column("case", lambda e: pseudonym("case", e.case_id)),
            Column("year", lambda e: _year(e.occurred_on)),
            Column("kind", lambda e: e.kind),
            Column("country", lambda e: _country(e.country)),
        ],
    },
}


def profile_names() -> list[str]:
    return list(PROFILES)


def check_may_export(*, user, profile: str) -> None:
    if profile not in PROFILES:
        raise ValidationError({"profile": f"One of {', '.join(PROFILES)}."})
    if not user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied("You may not export.")
    if profile == "full" and not user.has_perm(FULL_PERMISSION):
        raise PermissionDenied("Only a data manager makes a full export.")


def filtered_cases(*, user, params, request=None):
    """The cases the user may see, filtered as in the cases list (400 on a bad filter)."""
    cases = Case.objects.visible_to(user).select_related("lead").order_by("reference")
    filterset = CaseFilterSet(params or None, queryset=cases, request=request)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return filterset.qs


def _querysets(*, user, profile: str, cases) -> dict[str, object]:
    case_ids = cases.values("pk")
    subjects = CaseSubject.objects.visible_to(user).filter(case__in=case_ids)
    person_ids = subjects.values("person_id")
    events = Event.objects.visible_to(user).filter(case__in=case_ids)
    if profile != "full":
        events = events.exclude(sensitivity="sensitive").exclude(kind="welfare_incident")
    identifiers = PersonIdentifier.objects.visible_to(user).filter(person__in=person_ids)
    return {
        "cases": cases,
        "people": Person.objects.visible_to(user).filter(pk__in=person_ids).order_by("pk"),
        "person_names": PersonName.objects.visible_to(user).filter(person__in=person_ids).order_by("pk"),
        "person_identifiers": identifiers.order_by("pk"),
        "case_subjects": subjects.order_by("pk"),
        "detentions": Detention.objects.visible_to(user).filter(person__in=person_ids).order_by("pk"),
        "requests": StatedRequest.objects.visible_to(user).filter(case__in=case_ids).order_by("pk"),
        "events": events.order_by("pk"),
        "notes": CaseNote.objects.visible_to(user).filter(case__in=case_ids).order_by("pk"),
    }


def columns_for(*, user, profile: str) -> dict[str, list[Column]]:
    hidden = set() if sees_sensitive(user) else set(Person.SENSITIVE_FIELDS)
    return {model: [c for c in columns if c.name not in hidden] for model, columns in PROFILES[profile].items()}


def tables(*, user, profile: str, cases) -> Iterator[tuple[str, list[str], Iterator[list]]]:
    """(model, headings, rows) for each model of the profile, rows streamed."""
    querysets = _querysets(user=user, profile=profile, cases=cases)
    for model, columns in columns_for(user=user, profile=profile).items():

        def rows(queryset=querysets[model], columns=columns):
            for obj in queryset.iterator(chunk_size=2000):
                yield [column.read(obj) for column in columns]

        yield model, [c.name for c in columns], rows()
    if profile == "public":
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
        raise ValidationError({"format": f"One of {', '.join(FORMATS)}."})
    if layout not in LAYOUTS:
        raise ValidationError({"layout": f"One of {', '.join(LAYOUTS)}."})
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


def export_to_file(*, user, profile: str, fmt: str, layout: str, params, out, request=None) -> tuple[int, str]:
    """Export into the binary file ``out`` (rewound afterwards): (rows, SHA-256)."""
    check_may_export(user=user, profile=profile)
    cases = filtered_cases(user=user, params=params, request=request)
    rows = write(out=out, fmt=fmt, layout=layout, named_tables=tables(user=user, profile=profile, cases=cases))
    out.seek(0)
    digest = hashlib.sha256()
    while chunk := out.read(1024 * 1024):
        digest.update(chunk)
    out.seek(0)
    return rows, digest.hexdigest()


def filename_for(*, profile: str, fmt: str, layout: str) -> tuple[str, str]:
    """The download's name and content type."""
    if (fmt, layout) == ("xlsx", "workbook"):
        return f"vigil-{profile}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if (fmt, layout) == ("json", "workbook"):
        return f"vigil-{profile}.json", "application/json"
    return f"vigil-{profile}-{fmt}.zip", "application/zip"


# ------------------------------------------------------------ prepared (full) exports


def export_full_request(*, user, fmt: str, layout: str, params, request) -> PreparedExport:
    """Ask for a full export: prepared at once, or after a second data manager approves
    (``VIGIL_EXPORT_FULL_NEEDS_APPROVAL``)."""
    check_may_export(user=user, profile="full")
    filtered_cases(user=user, params=params)  # a bad filter is refused now, not at approval
    write(out=io.BytesIO(), fmt=fmt, layout=layout, named_tables=[])  # so is a bad format
    prepared = PreparedExport.objects.create(
        profile="full", format=f"{fmt}:{layout}", filters=params.urlencode()[:2000], requested_by=user
    )
    if not settings.VIGIL_EXPORT_FULL_NEEDS_APPROVAL:
        _prepare(prepared, request=request)
    return prepared


@transaction.atomic
def export_approve(*, prepared: PreparedExport, user, request) -> PreparedExport:
    """A second data manager approves a full export: it is written and can be downloaded."""
    if not user.has_perm(FULL_PERMISSION):
        raise PermissionDenied("Only a data manager approves a full export.")
    prepared = PreparedExport.objects.select_for_update().get(pk=prepared.pk)
    if prepared.requested_by_id == user.pk:
        raise ValidationError("A second data manager approves: not the one who asked.")
    if prepared.state != ExportState.PENDING:
        raise ValidationError(f"This export is {prepared.get_state_display()}.")
    prepared.approved_by, prepared.approved_at = user, timezone.now()
    prepared.save(update_fields=["approved_by", "approved_at"])
    _prepare(prepared, request=request)
    return prepared


def _prepare(prepared: PreparedExport, *, request) -> None:
    from django.http import QueryDict

    from casework.services import export_record
    from core.history import Channel

    fmt, layout = prepared.format.split(":")
    requester = prepared.requested_by
    with tempfile.TemporaryFile() as out:
        rows, sha256 = export_to_file(
            user=requester, profile="full", fmt=fmt, layout=layout, params=QueryDict(prepared.filters), out=out
        )
        name, _content_type = filename_for(profile="full", fmt=fmt, layout=layout)
        prepared.file.save(name, File(out), save=False)
    prepared.rows, prepared.sha256, prepared.state = rows, sha256, ExportState.READY
    prepared.expires_at = timezone.now() + datetime.timedelta(hours=settings.VIGIL_EXPORT_DOWNLOAD_HOURS)
    prepared.save()
    export_record(
        request=request, what=f"full export #{prepared.pk} for {requester.get_username()}", rows=rows,
        channel=Channel.DASHBOARD, profile="full", sha256=sha256, query=prepared.filters,
    )  # fmt: skip


def prepared_download(*, prepared: PreparedExport, user):
    """The prepared file, for the one who asked, until it expires (then it is deleted)."""
    if prepared.requested_by_id != user.pk or not user.has_perm(FULL_PERMISSION):
        raise PermissionDenied("Only the data manager who asked downloads this export.")
    if prepared.state != ExportState.READY:
        raise ValidationError(f"This export is {prepared.get_state_display()}.")
    if prepared.expires_at is None or prepared.expires_at < timezone.now():
        if prepared.file:
            prepared.file.delete(save=False)
        PreparedExport.objects.filter(pk=prepared.pk).update(file="")
        raise ValidationError("This download has expired: ask for the export again.")
    return prepared.file.open("rb")
