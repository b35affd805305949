"""History of every change, kept by PostgreSQL triggers (django-pghistory).

Each tracked model gets an append-only event table filled by triggers on
insert, update and delete, so no code path (admin, API, dashboard, a queryset
``update()``, a management command, raw SQL) can change a record without a
history row. Each row carries a context: the acting user and the channel the
change came through, set here once per request or per command.
"""

from __future__ import annotations

import contextlib
import datetime
import getpass
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import pghistory
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from pghistory.middleware import HistoryMiddleware

from core.dates import DatePrecision, FuzzyDate


class Channel(models.TextChoices):
    ADMIN = "admin", _("admin")
    API = "api", _("API")
    DASHBOARD = "dashboard", _("dashboard")
    COMMAND = "command", _("management command")
    IMPORT = "import", _("import")  # rows written by an import batch (exchange/imports/)


def track(model: type[models.Model]) -> type[models.Model]:
    """Class decorator: record every insert, update and delete of ``model``."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        # "<Model>History" with obj.history: "events" would clash with Vigil's own Event.
        model_name=f"{model.__name__}History",
        obj_field=pghistory.ObjForeignKey(related_name="history"),
        # Full-text columns are derived; recording them would only add noise.
        exclude=[f.name for f in model._meta.concrete_fields if f.name == "search_vector"],
    )(model)


def channel_for_path(path: str) -> str:
    if path.startswith("/admin/"):
        return Channel.ADMIN
    if path.startswith("/api/"):
        return Channel.API
    return Channel.DASHBOARD


class HistoryChannelMiddleware(HistoryMiddleware):
    """pghistory's middleware (user and URL, even for token-authenticated API
    calls), plus the channel the change came through."""

    def get_context(self, request):
        context = super().get_context(request)
        context["channel"] = channel_for_path(request.path)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            context["username"] = request.user.get_username()
        return context


# Commands that serve requests: each request records its own context instead.
# migrate too: the context is injected as query parameters, and a migration's
# raw SQL with a literal % (Procrastinate's RAISE '... %') cannot take them.
_SERVING_COMMANDS = {"runserver", "testserver", "migrate"}


@contextlib.contextmanager
def command_context(argv: Sequence[str]) -> Iterator[None]:
    """Attach channel "command" (and the command and OS user) to what a
    ``manage.py`` command writes."""
    command = argv[1] if len(argv) > 1 else "help"
    if command in _SERVING_COMMANDS or command.startswith("-"):
        yield
        return
    with pghistory.context(channel=Channel.COMMAND.value, command=command, os_user=getpass.getuser()):
        yield


def who_and_through(event) -> tuple[str, str]:
    """Who made a recorded change and through what, from its context ("database"
    when it came from outside Vigil, e.g. psql)."""
    context = event.pgh_context or {}
    who = (
        context.get("username")
        or context.get("os_user")
        or (f"user #{context['user']}" if context.get("user") else "unknown")
    )
    channel = context.get("channel") or "database"
    if context.get("command"):
        channel = f"{channel} ({context['command']})"
    return who, channel


def history_of(obj: models.Model):
    """Every recorded event of ``obj``, newest first, with its context."""
    from pghistory.models import Events

    return Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id")


#: Columns kept for the machine, not the reader: never listed in a history page.
BOOKKEEPING = {"id", "version", "created_at", "updated_at", "status_changed_at", "last_moved_on", "statement_key"}

#: Columns that name a record, in the order tried, for "what changed" on a page of many records.
NAMING_COLUMNS = ("reference", "title", "summary", "display_name", "name", "value", "body")


@dataclass
class Change:
    """One field of one recorded change, as an advocate reads it: "Status: stated → verified"."""

    label: str
    old: str
    new: str


@dataclass
class ReadableEvent:
    """A recorded insert, update or delete, readable: who, through what, what record, what changed."""

    when: datetime.datetime
    action: str  # "insert", "update", "delete" (pghistory's labels)
    who: str
    channel: str
    model: type[models.Model]
    object_id: str | None
    about: str
    changes: list[Change] = dataclass_field(default_factory=list)

    @property
    def what(self) -> str:
        return capfirst(self.model._meta.verbose_name)

    @property
    def pgh_label(self) -> str:
        return self.action


class _Names:
    """The names of linked records, looked up once per model for a page of history, and
    only those the reader may see (another is "a record you may not see")."""

    def __init__(self, user):
        self.user = user
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], str], str] = {}

    def want(self, model, pk) -> None:
        if pk is not None:
            self.wanted[model].add(pk)

    def load(self) -> None:
        from core.querysets import visible

        for model, pks in self.wanted.items():
            for obj in visible(model._default_manager.filter(pk__in=pks), self.user):
                self.found[(model, str(obj.pk))] = str(obj)

    def name(self, model, pk) -> str:
        if pk is None:
            return EMPTY
        return self.found.get((model, str(pk)), "a record you may not see")


EMPTY = "—"
SHOWN_CHARS = 300  # a long text's start: the record's page has the whole of it


def _shown(model_field, value, data: dict, names: _Names) -> str:
    """A stored value as an advocate reads it: a choice's label, a linked record's name,
    a date with its precision ("Q4 2024"), yes/no."""
    if value is None or value == "":
        return EMPTY
    if model_field.is_relation:
        return names.name(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(model_field, models.DateTimeField):
        return date_format(parse_datetime(value) if isinstance(value, str) else value, "DATETIME_FORMAT")
    if isinstance(model_field, models.DateField):
        day = parse_date(value) if isinstance(value, str) else value
        precision = data.get(f"{model_field.attname}_precision", DatePrecision.DAY)
        return str(FuzzyDate(day, precision))
    if isinstance(value, (list, dict)):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return Truncator(str(value)).chars(SHOWN_CHARS)


def _columns(model) -> dict[str, models.Field]:
    return {model_field.attname: model_field for model_field in model._meta.concrete_fields}


def _about(model, data: dict, names: _Names) -> str:
    """What record a change was made to, from its own recorded values."""
    for column in NAMING_COLUMNS:
        if data.get(column):
            return Truncator(str(data[column])).chars(80)
    links = [model_field for model_field in model._meta.concrete_fields if model_field.is_relation]
    # The record it is about before the case it is in: "Person in the case: Ri Jong Chol".
    for model_field in sorted(links, key=lambda link: link.name == "case"):
        if data.get(model_field.attname) is not None:
            return names.name(model_field.related_model, data[model_field.attname])
    return f"#{data.get('id')}"


def readable_events(model, rows, *, user) -> list[ReadableEvent]:
    """Rows of pghistory's ``Events`` (of ``model``), as ``user`` may read them: field
    labels, choice labels, linked records by name, dates with their precision, no
    bookkeeping column (``BOOKKEEPING``, derived columns); no field the user may not
    read (core.exposure: no sensitive field without people.view_sensitive, no derived
    column), and nothing of what the record held while it was sensitive as a whole (a
    service number later turned into another identifier). The records themselves were
    found through ``visible_to(user)`` by the caller."""
    from core.access import sees_sensitive
    from core.exposure import hidden_from, is_sensitive_row

    columns = _columns(model)
    hidden = hidden_from(model, user) | BOOKKEEPING
    hide_sensitive_rows = not sees_sensitive(user)
    names = _Names(user)
    staged = []
    for row in rows:
        data = row.pgh_data or {}
        diff = row.pgh_diff or {}
        before = {**data, **{name: old for name, (old, _new) in diff.items()}}
        withheld = hide_sensitive_rows and (is_sensitive_row(model, data) or is_sensitive_row(model, before))
        if row.pgh_label == "insert":
            diff = {name: (None, value) for name, value in data.items() if value not in (None, "", [], {})}
        elif row.pgh_label != "update":
            diff = {}
        elif diff and set(diff) <= BOOKKEEPING:
            continue  # the machine's own bookkeeping (a version, a derived date): nothing to read
        shown = {} if withheld else {name: change for name, change in diff.items() if _readable(columns, name, hidden)}
        for name, (old, new) in shown.items():
            if columns[name].is_relation:
                names.want(columns[name].related_model, old)
                names.want(columns[name].related_model, new)
        for model_field in model._meta.concrete_fields:
            if model_field.is_relation and model_field.name not in hidden:
                names.want(model_field.related_model, data.get(model_field.attname))
        staged.append((row, data, before, shown, withheld))
    names.load()
    events = []
    for row, data, before, shown, withheld in staged:
        who, channel = who_and_through(row)
        changes = []
        for name in shown:
            model_field = columns[name]
            if name.endswith("_precision") and name.removesuffix("_precision") in columns:
                date_column = name.removesuffix("_precision")
                if date_column in shown or date_column in hidden:
                    continue  # said with the date, or not at all
                model_field, name = columns[date_column], date_column
            old_shown = EMPTY if row.pgh_label == "insert" else _shown(model_field, before.get(name), before, names)
            changes.append(
                Change(capfirst(model_field.verbose_name), old_shown, _shown(model_field, data.get(name), data, names))
            )
        events.append(
            ReadableEvent(
                when=row.pgh_created_at,
                action=row.pgh_label,
                who=who,
                channel=channel,
                model=model,
                object_id=row.pgh_obj_id,
                about="a record you may not see" if withheld else _about(model, data, names),
                changes=changes,
            )
        )
    return events


def _readable(columns: dict[str, models.Field], name: str, hidden: set[str]) -> bool:
    model_field = columns.get(name)
    return model_field is not None and name not in hidden and model_field.name not in hidden


def readable_history(obj: models.Model, *, user, limit: int) -> list[ReadableEvent]:
    """The latest ``limit`` recorded events of ``obj`` as ``user`` may read them
    (``readable_events``). The object itself was found through ``visible_to(user)``."""
    return readable_events(type(obj), history_of(obj)[:limit], user=user)


def changes_since(obj: models.Model, version: int, *, hidden: Iterable[str] = ()) -> list[str]:
    """What others changed in ``obj`` after the ``version`` a writer read, oldest
    first: "alice: title “Before” → “After”" (read from the history triggers' rows).
    Fields named in ``hidden`` (sensitive ones the reader may not see) are left out."""
    events = (
        history_of(obj).filter(pgh_label="update", pgh_data__version__gt=version).order_by("pgh_created_at", "pgh_id")
    )
    changes = []
    for event in events:
        who, _channel = who_and_through(event)
        for field, (old, new) in (event.pgh_diff or {}).items():
            if field in {"version", "updated_at", *hidden}:
                continue
            changes.append(f"{who}: {field} “{old}” → “{new}”")
    return changes
