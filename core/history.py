"""History of every change, kept by PostgreSQL triggers (django-pghistory).

Each tracked model gets an append-only event table filled by triggers on
insert, update and delete, so no code path (admin, API, dashboard, a queryset
``update()``, a management command, raw SQL) can change a record without a
history row. Each row carries a context: the acting user and the channel the
change came through, set here once per request or per command.
"""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Iterable, Iterator, Sequence

import pghistory
from django.db import models
from pghistory.middleware import HistoryMiddleware


class Channel(models.TextChoices):
    ADMIN = "admin", "admin"
    API = "api", "API"
    DASHBOARD = "dashboard", "dashboard"
    COMMAND = "command", "management command"
    IMPORT = "import", "import"  # rows written by an import batch (exchange/imports.py)


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


def readable_history(obj: models.Model, *, user, limit: int) -> list:
    """The latest ``limit`` recorded events of ``obj`` as ``user`` may read them, each
    with ``who``, ``channel`` and ``shown_diff``: the changes of fields the user may
    read (core.exposure: no sensitive field without people.view_sensitive, no derived
    column), and nothing of what the record held while it was sensitive as a whole
    (a service number later turned into another identifier). The object itself was
    found through ``visible_to(user)`` by the caller."""
    from casework.access import sees_sensitive
    from core.exposure import hidden_from, is_sensitive_row

    hidden = hidden_from(type(obj), user) | {"version", "updated_at"}
    hide_sensitive_rows = not sees_sensitive(user)
    events = list(history_of(obj)[:limit])
    for event in events:
        event.who, event.channel = who_and_through(event)
        diff = event.pgh_diff or {}
        before = {**(event.pgh_data or {}), **{name: old for name, (old, _new) in diff.items()}}
        if hide_sensitive_rows and (
            is_sensitive_row(type(obj), event.pgh_data or {}) or is_sensitive_row(type(obj), before)
        ):
            event.shown_diff = {}
            continue
        # A change of hidden fields only reads as "changed": neither named nor counted.
        event.shown_diff = {name: change for name, change in diff.items() if name not in hidden}
    return events


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
