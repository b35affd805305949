"""Export profiles: what leaves Vigil, for whom, in which format.

A profile is an allow-list of fields per table, and core/exposure.py's
classification is what every list is drawn from (one source of truth):

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
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from casework.access import sees_sensitive
from casework.api.filters import CaseFilterSet
from casework.models import Case, CaseNote, CaseSubject, StatedRequest
from casework.views.export import spreadsheet_safe
from core import exposure
from events.models import Event
from exchange.models import ExportProfile, ExportState, PreparedExport
from people.models import Detention, Person, PersonIdentifier, PersonName

FORMATS = ("csv", "xlsx", "json")
LAYOUTS = ("workbook", "files")
EXPORT_PERMISSION = "casework.export_cases"
FULL_PERMISSION = "exchange.export_full"
PROGRESS_EVERY = 1000


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


# ------------------------------------------------------------ what each profile may carry

#: Each exported table and the model it reads: core/exposure.py says which of its fields may leave.
TABLES: dict[str, str] = {
    "cases": "casework.Case",
    "people": "people.Person",
    "person_names": "people.PersonName",
    "person_identifiers": "people.PersonIdentifier",
    "case_subjects": "casework.CaseSubject",
    "detentions": "people.Detention",
    "requests": "casework.StatedRequest",
    "events": "events.Event",
    "notes": "casework.CaseNote",
}
BOOKKEEPING = ("version",)  # the optimistic lock's counter: no one's information

#: The built-in partner profile: names and statuses, what was asked and where it stands;
#: no notes, no identifiers, no sensitive field. A data manager saves others (ExportProfile).
PARTNER_FIELDS: dict[str, tuple[str, ...]] = {
    "cases": ("reference", "title", "status", "opened_on"),
    "people": ("id", "display_name", "name_original", "sex", "nationality", "legal_status", "status"),
    "case_subjects": ("case", "person", "role"),
    "detentions": ("person", "region", "country", "started_on", "started_on_precision", "ended_on"),
    "requests": (
        "case",
        "person",
        "category",
        "summary",
        "destination_country",
        "first_stated_on",
        "first_stated_on_precision",
        "status",
    ),
    "events": ("case", "occurred_on", "occurred_on_precision", "kind", "title", "country"),
}


def exportable_fields(table: str) -> tuple[str, ...]:
    """The fields of ``table`` that may leave Vigil at all: its model's shown and sensitive
    columns in core/exposure.py (never the never-exposed ones), in that order."""
    from django.apps import apps

    label = TABLES[table]
    concrete = {f.name for f in apps.get_model(label)._meta.concrete_fields}
    classified = (*exposure.fields(label, exposure.SHOWN), *exposure.fields(label, exposure.SENSITIVE))
    return tuple(name for name in classified if name in concrete and name not in BOOKKEEPING)


def sensitive_fields(table: str) -> set[str]:
    return set(exposure.fields(TABLES[table], exposure.SENSITIVE))


def check_allow_list(fields: object, *, user) -> dict[str, list[str]]:
    """A partner profile's allow-list, checked against the classification, field by field:
    only exportable fields of known tables, sensitive ones only for who may read them."""
    if not isinstance(fields, dict) or not fields:
        raise ValidationError({"fields": ['An object of tables and their fields: {"people": ["display_name"]}.']})
    problems: dict[str, list[str]] = {}
    allowed = {}
    for table, names in fields.items():
        if table not in TABLES:
            problems[table] = [f"No such table: one of {', '.join(TABLES)}."]
            continue
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            problems[table] = ["A list of field names."]
            continue
        exportable = exportable_fields(table)
        unknown = [n for n in names if n not in exportable]
        hidden = [n for n in names if n in sensitive_fields(table) and not sees_sensitive(user)]
        if unknown:
            problems[table] = [f"Not exportable: {', '.join(unknown)}. One of {', '.join(exportable)}."]
        elif hidden:
            problems[table] = [f"Sensitive: {', '.join(hidden)}. Only who may see sensitive details chooses them."]
        else:
            allowed[table] = list(dict.fromkeys(names))
    if problems:
        raise ValidationError(problems)
    return allowed


# The public profile: every column reads one shown field and generalises it (no free text at all).
PSEUDONYM, YEAR, COUNTRY, CHOICE, REGION = "pseudonym", "year", "country", "choice", "region"
#: Fields the public profile never reads, however they are generalised.
PUBLIC_WITHHELD = {"people.PersonIdentifier", "people.PersonName", "casework.CaseNote"}

# fmt: off
PUBLIC_COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {  # table: (heading, field, how)
    "cases": (("case", "id", PSEUDONYM), ("status", "status", CHOICE), ("opened", "opened_on", YEAR)),
    "people": (("person", "id", PSEUDONYM), ("sex", "sex", CHOICE), ("born", "birth_date", YEAR),
               ("nationality", "nationality", COUNTRY), ("legal_status", "legal_status", CHOICE),
               ("status", "status", CHOICE)),
    "case_subjects": (("case", "case", PSEUDONYM), ("person", "person", PSEUDONYM), ("role", "role", CHOICE)),
    "detentions": (("person", "person", PSEUDONYM), ("region", "region", REGION), ("country", "country", COUNTRY),
                   ("from", "started_on", YEAR), ("until", "ended_on", YEAR)),
    "requests": (("case", "case", PSEUDONYM), ("person", "person", PSEUDONYM), ("category", "category", CHOICE),
                 ("destination", "destination_country", COUNTRY), ("first_stated", "first_stated_on", YEAR),
                 ("status", "status", CHOICE)),
    "events": (("case", "case", PSEUDONYM), ("year", "occurred_on", YEAR), ("kind", "kind", CHOICE),
               ("country", "country", COUNTRY)),
}
# fmt: on


def check_public_columns() -> None:
    """The public profile reads only shown fields, never a withheld model's, and lets
    through as they are only fields whose values are a fixed list of choices (a test runs it)."""
    from django.apps import apps

    for table, columns in PUBLIC_COLUMNS.items():
        label = TABLES[table]
        if label in PUBLIC_WITHHELD:
            raise ImproperlyConfigured(f"The public profile never exports {label}.")
        model = apps.get_model(label)
        for heading, name, how in columns:
            if name not in exposure.fields(label, exposure.SHOWN):
                raise ImproperlyConfigured(f"public {table}.{heading}: {label}.{name} is not a shown field.")
            if how == CHOICE and not model._meta.get_field(name).choices:
                raise ImproperlyConfigured(f"public {table}.{heading}: {name} is free text, not a choice.")
            if how == REGION and (label, name) != ("people.Detention", "region"):
                raise ImproperlyConfigured(f"public {table}.{heading}: only a detention's region is a region.")


def _public_column(heading: str, name: str, how: str, *, regions: set) -> Column:
    if how == PSEUDONYM:
        kind = heading
        attname = "pk" if name == "id" else f"{name}_id"
        return Column(heading, lambda obj: pseudonym(kind, getattr(obj, attname)))
    if how == YEAR:
        return Column(heading, lambda obj: _year(getattr(obj, name)))
    if how == COUNTRY:
        return Column(heading, lambda obj: _country(getattr(obj, name)))
    if how == REGION:
        # A place of detention, generalised to its region: shown only when enough detentions share it.
        return Column(heading, lambda obj: obj.region if (obj.region, str(obj.country)) in regions else "")
    return Column(heading, lambda obj: getattr(obj, name))


@dataclass(frozen=True)
class Profile:
    """A resolved profile: its name, its kind (full, partner, public) and, but for the
    public one, the fields each table carries."""

    name: str
    kind: str
    fields: dict[str, tuple[str, ...]]


BUILT_IN = ("full", "partner", "public")


def resolve_profile(name: str) -> Profile:
    """full, partner, public, or a saved partner profile by its name."""
    if name == "full":
        return Profile("full", "full", {table: exportable_fields(table) for table in TABLES})
    if name == "partner":
        return Profile("partner", "partner", PARTNER_FIELDS)
    if name == "public":
        return Profile("public", "public", {t: tuple(c[1] for c in cols) for t, cols in PUBLIC_COLUMNS.items()})
    saved = ExportProfile.objects.filter(name=name).first() if name else None
    if saved is None:
        choices = [*BUILT_IN, *ExportProfile.objects.values_list("name", flat=True)]
        raise ValidationError({"profile": [gettext("One of %(choices)s.") % {"choices": ", ".join(choices)}]})
    return Profile(saved.name, "partner", {t: tuple(names) for t, names in saved.fields.items() if t in TABLES})


def profile_names() -> list[str]:
    return [*BUILT_IN, *ExportProfile.objects.values_list("name", flat=True)]


def check_may_export(*, user, profile: str) -> Profile:
    resolved = resolve_profile(profile)
    if not user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied(gettext("You may not export."))
    if resolved.kind == "full" and not user.has_perm(FULL_PERMISSION):
        raise PermissionDenied(gettext("Only a data manager makes a full export."))
    return resolved


def profile_save(*, user, name: str, fields, description: str = "", profile: ExportProfile | None = None):
    """A data manager saves a partner profile: its allow-list checked against the classification."""
    if not user.has_perm(FULL_PERMISSION):
        raise PermissionDenied(gettext("Only a data manager defines export profiles."))
    name = (name or "").strip()
    if not name or name in BUILT_IN:
        raise ValidationError(
            {"name": [gettext("A name of its own (not %(names)s).") % {"names": ", ".join(BUILT_IN)}]}
        )
    allowed = check_allow_list(fields, user=user)
    if ExportProfile.objects.filter(name=name).exclude(pk=getattr(profile, "pk", None)).exists():
        raise ValidationError({"name": [gettext("A profile of this name exists.")]})
    profile = profile or ExportProfile(created_by=user)
    profile.name, profile.fields, profile.description = name, allowed, description
    profile.save()
    return profile


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


# ------------------------------------------------------------ prepared exports (a job writes them)


def export_request(*, user, profile: str, fmt: str, layout: str, params, channel: str) -> PreparedExport:
    """Ask for an export written by a job (``exchange.run_export``) and downloaded later: at
    once, or, for a full export when ``VIGIL_EXPORT_FULL_NEEDS_APPROVAL`` is on, once a second
    data manager approves. Everything that can be refused is refused now."""
    resolved = check_may_export(user=user, profile=profile)
    filtered_cases(user=user, params=params)  # a bad filter is refused now, not in the job
    write(out=io.BytesIO(), fmt=fmt, layout=layout, named_tables=[])  # so is a bad format
    waits = resolved.kind == "full" and settings.VIGIL_EXPORT_FULL_NEEDS_APPROVAL
    with transaction.atomic():
        prepared = PreparedExport.objects.create(
            profile=resolved.name, format=f"{fmt}:{layout}", filters=params.urlencode()[:2000], requested_by=user,
            channel=channel, state=ExportState.PENDING if waits else ExportState.QUEUED,
        )  # fmt: skip
        if not waits:
            _defer(prepared)
    return prepared


def export_full_request(*, user, fmt: str, layout: str, params, request=None) -> PreparedExport:
    from core.history import Channel

    return export_request(user=user, profile="full", fmt=fmt, layout=layout, params=params, channel=Channel.DASHBOARD)


def _defer(prepared: PreparedExport) -> None:
    """The job and its progress (core.background), queued in the caller's transaction: they
    exist only if the export does. The title says the profile and format, never a case."""
    from core.background import work_defer
    from exchange.tasks import run_export

    fmt = prepared.format.split(":")[0].upper()
    title = gettext("%(profile)s export #%(pk)s (%(format)s)") % {
        "profile": prepared.profile.capitalize(),
        "pk": prepared.pk,
        "format": fmt,
    }
    work_defer(run_export, kind="export", title=title, owner=prepared.requested_by, prepared_id=prepared.pk)


@transaction.atomic
def export_approve(*, prepared: PreparedExport, user, request=None) -> PreparedExport:
    """A second data manager approves a full export: a job writes it, its asker downloads it."""
    if not user.has_perm(FULL_PERMISSION):
        raise PermissionDenied(gettext("Only a data manager approves a full export."))
    prepared = PreparedExport.objects.select_for_update().get(pk=prepared.pk)
    if prepared.requested_by_id == user.pk:
        raise ValidationError(gettext("A second data manager approves: not the one who asked."))
    if prepared.state != ExportState.PENDING:
        raise ValidationError(gettext("This export is %(state)s.") % {"state": prepared.get_state_display()})
    prepared.approved_by, prepared.approved_at, prepared.state = user, timezone.now(), ExportState.QUEUED
    prepared.save(update_fields=["approved_by", "approved_at", "state"])
    _defer(prepared)
    return prepared


def export_run(prepared_id: int, *, progress: Callable[[int], None] | None = None) -> int:
    """The job: write the export as its asker may see it (their rights as they are now), keep
    it until it expires, and log it. Returns the rows written."""
    from django.http import QueryDict

    from casework.services import export_record

    with transaction.atomic():
        prepared = PreparedExport.objects.select_for_update().select_related("requested_by").get(pk=prepared_id)
        if prepared.state not in (ExportState.QUEUED, ExportState.FAILED):
            return prepared.rows  # already written (a retried job), or waiting for approval
        prepared.state = ExportState.RUNNING
        prepared.save(update_fields=["state"])
    fmt, layout = prepared.format.split(":")
    requester = prepared.requested_by
    try:
        with tempfile.TemporaryFile() as out:
            rows, sha256 = export_to_file(user=requester, profile=prepared.profile, fmt=fmt, layout=layout,
                                          params=QueryDict(prepared.filters), out=out, progress=progress)  # fmt: skip
            name, _content_type = filename_for(profile=prepared.profile, fmt=fmt, layout=layout)
            prepared.file.save(name, File(out), save=False)
    except Exception as error:
        PreparedExport.objects.filter(pk=prepared.pk).update(state=ExportState.FAILED, message=str(error)[:2000])
        raise
    prepared.rows, prepared.sha256, prepared.state, prepared.message = rows, sha256, ExportState.READY, ""
    prepared.expires_at = timezone.now() + datetime.timedelta(hours=settings.VIGIL_EXPORT_DOWNLOAD_HOURS)
    with transaction.atomic():
        prepared.save()
        export_record(
            user=requester, what=f"{prepared.profile} export #{prepared.pk} for {requester.get_username()}",
            rows=rows, channel=prepared.channel, profile=resolve_profile(prepared.profile).kind, sha256=sha256,
            query=prepared.filters,
        )  # fmt: skip
    return rows


def prepared_download(*, prepared: PreparedExport, user):
    """The prepared file, for the one who asked (if they still may export it), until it
    expires (then it is deleted)."""
    if prepared.requested_by_id != user.pk:
        raise PermissionDenied(gettext("Only the one who asked downloads this export."))
    check_may_export(user=user, profile=prepared.profile)
    if prepared.state != ExportState.READY:
        raise ValidationError(gettext("This export is %(state)s.") % {"state": prepared.get_state_display()})
    if prepared.expires_at is None or prepared.expires_at < timezone.now():
        if prepared.file:
            prepared.file.delete(save=False)
        PreparedExport.objects.filter(pk=prepared.pk).update(file="")
        raise ValidationError(gettext("This download has expired: ask for the export again."))
    return prepared.file.open("rb")
