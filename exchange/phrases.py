"""What an import's dry run says about each row (its reasons, warnings, what it writes, the
changes) and the progress of a background import: kept as phrases (core.phrases), a code
and its values, so each reader sees them in their own language (``shown_report``)."""

from __future__ import annotations

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import phrases
from people import reasons
from people.models import IdentifierKind, Person


class ImportAction(models.TextChoices):
    """What a row does (exchange.imports.common: CREATE, UPDATE, LINK, SKIP, ERROR)."""

    CREATE = "create", pgettext_lazy("import action", "create")
    UPDATE = "update", pgettext_lazy("import action", "update")
    LINK = "link", pgettext_lazy("import action", "link")
    SKIP = "skip", pgettext_lazy("import action", "skip")
    ERROR = "error", pgettext_lazy("import action", "error")


class DuplicateReason:
    """A duplicate reason code (people.reasons) as a phrase's choice: its label."""

    def __init__(self, code: str):
        self.label = reasons.label(code)


class PersonField:
    """A person's field named by its verbose name, as a phrase's choice."""

    def __init__(self, name: str):
        try:
            self.label = capfirst(Person._meta.get_field(name).verbose_name)
        except Exception:
            self.label = name


phrases.register_choices(
    {
        "import_action": ImportAction,
        "identifier_kind": IdentifierKind,
        "duplicate_reason": DuplicateReason,
        "person_field": PersonField,
    }
)

phrases.register(
    {
        "import-empty-row": _("empty row"),
        "import-same-row": _("the same as row %(row)s"),
        "import-update-only": _("update only: no new people"),
        "import-same-person-row": _("the same person as row %(row)s"),
        "import-same-identifier": _("same %(kind)s %(value)s"),
        "import-possible-duplicate": _("Possible duplicate of %(person)s (#%(id)s, score %(score)s: %(reasons)s)."),
        "import-uncertain-date": _("%(column)s: “%(text)s” is uncertain; recorded as %(value)s."),
        "import-new-case": _("new case “%(title)s”"),
        "import-person": pgettext_lazy("what an import row writes", "person"),
        "import-detention": pgettext_lazy("what an import row writes", "detention"),
        "import-request": pgettext_lazy("what an import row writes", "request"),
        "import-note": pgettext_lazy("what an import row writes", "note"),
        "import-change": _("%(field)s: “%(was)s” → “%(now)s”"),
        "import-count": _("%(action)s: %(n)s"),
    }
)


def duplicate_reasons(codes) -> dict:
    return phrases.listing([phrases.choice("duplicate_reason", code) for code in codes or []])


def action_label(action: str) -> str:
    try:
        return str(ImportAction(action).label)
    except ValueError:
        return action


def counts(by_action: dict) -> dict:
    """``{"create": 3, "link": 1}`` as "create: 3, link: 1" in the reader's language."""
    return phrases.listing(
        [
            phrases.phrase("import-count", action=phrases.choice("import_action", a), n=phrases.number(n))
            for a, n in by_action.items()
        ]
    )


def _shown(item) -> str:
    """A reason, warning or change: a phrase, a duplicate reason code, or a sentence kept before phrases."""
    return phrases.render(item) if isinstance(item, dict) else reasons.label(item)


def shown_report(report) -> list[dict]:
    """A batch's report with its texts written in the current language (pages, the API, the command)."""
    return [
        {
            **row,
            "action_label": action_label(row.get("action", "")),
            **{
                key: [_shown(item) for item in row.get(key) or []] for key in ("what", "reasons", "changes", "warnings")
            },
        }
        for row in report or []
    ]
