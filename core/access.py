"""Who may do and see what: the machinery every app shares, importing none of them.

Permissions are read by name ("people.view_sensitive"); the rule for who sees a
kind of record ("case", "person") belongs to the app that holds it, which
registers it here from its ``AppConfig.ready`` (casework/apps.py), so a lower
layer applies a higher one's rule without importing it: ``visibility("person",
user, "person")``. A kind nobody registered shows nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

NOTHING = Q(pk__in=[])
EVERYTHING = Q()

#: kind of record -> the rule, ``rule(user, path) -> Q`` (see casework/access.py)
_VISIBILITY: dict[str, Callable[..., Q]] = {}


def visibility_register(kind: str, rule: Callable[..., Q]) -> None:
    """Make ``rule(user, path)`` the condition for a ``kind`` of record to be visible."""
    _VISIBILITY[kind] = rule


def visibility(kind: str, user, path: str = "") -> Q:
    """The condition for a ``kind`` of record (at ``path``) to be visible to ``user``; nothing when no app
    registered the kind (fails closed)."""
    rule = _VISIBILITY.get(kind)
    return NOTHING if rule is None else rule(user, path)


def sees_every_case(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm("casework.view_all_cases")))


def sees_sensitive(user) -> bool:
    """Health, welfare incidents, family and GC III details: only with ``people.view_sensitive``."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.has_perm("people.view_sensitive")
    )


def holds_case_lead_role(user) -> bool:
    """Whether ``user`` may lead a case: the case lead role's permission (data managers hold it too)."""
    return bool(user is not None and user.is_active and user.has_perm("casework.manage_team"))
