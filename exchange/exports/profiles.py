"""What each profile may carry, drawn from core/exposure/; saved partner profiles."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils.translation import gettext

from core import exposure
from core.access import sees_sensitive
from exchange.models import ExportProfile

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

#: Each exported table and the model it reads: core/exposure/ says which of its fields may leave.
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
    columns in core/exposure/ (never the never-exposed ones), in that order."""
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
        raise ValidationError(
            {"fields": [gettext('An object of tables and their fields: {"people": ["display_name"]}.')]}
        )
    problems: dict[str, list[str]] = {}
    allowed = {}
    for table, names in fields.items():
        if table not in TABLES:
            problems[table] = [gettext("No such table: one of %(tables)s.") % {"tables": ", ".join(TABLES)}]
            continue
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            problems[table] = [gettext("A list of field names.")]
            continue
        exportable = exportable_fields(table)
        unknown = [n for n in names if n not in exportable]
        hidden = [n for n in names if n in sensitive_fields(table) and not sees_sensitive(user)]
        if unknown:
            problems[table] = [
                gettext("Not exportable: %(fields)s. One of %(choices)s.")
                % {"fields": ", ".join(unknown), "choices": ", ".join(exportable)}
            ]
        elif hidden:
            problems[table] = [
                gettext("Sensitive: %(fields)s. Only who may see sensitive details chooses them.")
                % {"fields": ", ".join(hidden)}
            ]
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


def profile_check(*, user, name: str, fields, profile: ExportProfile | None = None) -> tuple[str, dict]:
    """What ``profile_save`` refuses, refused before anything is saved: (the name, the allow-list)."""
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
    return name, allowed


def profile_save(*, user, name: str, fields, description: str = "", profile: ExportProfile | None = None):
    """A data manager saves a partner profile: its allow-list checked against the classification."""
    name, allowed = profile_check(user=user, name=name, fields=fields, profile=profile)
    profile = profile or ExportProfile(created_by=user)
    profile.name, profile.fields, profile.description = name, allowed, description
    profile.save()
    return profile


def profile_delete(*, user, profile: ExportProfile) -> None:
    """A data manager removes a saved partner profile (exports made with it stay logged)."""
    if not user.has_perm(FULL_PERMISSION):
        raise PermissionDenied(gettext("Only a data manager removes export profiles."))
    profile.delete()


def choosable_fields(table: str, *, user) -> tuple[str, ...]:
    """The fields of ``table`` that ``user`` may put in a profile: exportable, and sensitive
    ones only for who may read them (as ``check_allow_list`` checks)."""
    hidden = set() if sees_sensitive(user) else sensitive_fields(table)
    return tuple(name for name in exportable_fields(table) if name not in hidden)
