"""Who may see what, decided once.

A case of normal confidentiality is visible to every signed-in user; a
restricted case only to its lead, its team and users who may see all cases
(superusers and holders of ``casework.view_all_cases``). Everything hanging
off a case is visible when its case is; a person is visible when they are in
at least one visible case. A person in no case at all fails closed: only users
who see every case, and the user who recorded them, see them.

The permission checks every app shares (``sees_every_case``, ``sees_sensitive``)
are core's (core/access.py); casework registers the two rules below there
(casework/apps.py), so people/ applies the person rule without importing casework.

These functions return ``Q`` conditions that each model's ``visible_to(user)``
queryset method applies, so admin, API, dashboard, search and export all start
from the same rule. ``path`` is the lookup from the filtered model to the case
(or person): "" for Case itself, "case", "request__case", ...

The conditions are ``EXISTS`` subqueries and plain column tests, so they stay
index-friendly and never multiply rows (no DISTINCT needed).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from core.access import EVERYTHING, NOTHING, holds_case_lead_role, sees_every_case


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def case_visibility(user, path: str = "") -> Q:
    """The condition for a case (at ``path``) to be visible to ``user``."""
    from casework.models import CaseMember, Confidentiality

    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if sees_every_case(user):
        return EVERYTHING
    prefix = _prefix(path)
    member = CaseMember.objects.filter(case=OuterRef(path or "pk"), user=user)
    return Q(**{f"{prefix}confidentiality": Confidentiality.NORMAL}) | Q(**{f"{prefix}lead": user}) | Exists(member)


def person_visibility(user, path: str = "") -> Q:
    """The condition for a person (at ``path``) to be visible to ``user``."""
    from casework.models import CaseSubject

    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if sees_every_case(user):
        return EVERYTHING
    in_cases = CaseSubject.objects.filter(person=OuterRef(path or "pk"))
    recorded_by_user = Q(**{f"{_prefix(path)}created_by": user}) & ~Exists(in_cases)
    return Exists(in_cases.filter(case_visibility(user, "case"))) | recorded_by_user


def access_generation() -> int:
    """A number every change that can take access away moves (a team, a lead, a
    confidentiality, a case's people, a role...: database triggers, migration
    casework 0012). What is cached per user carries it in its key, so nothing cached
    outlives the access that allowed it."""
    from django.db import connection

    with connection.cursor() as cursor:
        # A new sequence's first nextval leaves last_value at 1: is_called tells them apart.
        cursor.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM vigil_access_generation")
        return cursor.fetchone()[0]


def can_manage_team(user, case) -> bool:
    """Who controls a case: changes its lead, team and confidentiality, or moves it
    to the bin. Its current lead holding the case lead role, or a data manager
    (who may see every case and manage teams); for a case not yet created, anyone
    holding the case lead role. ``casework.services.case_control_check`` applies it."""
    if not (user is not None and user.is_authenticated and holds_case_lead_role(user)):
        return False
    return sees_every_case(user) or case is None or case.pk is None or case.lead_id == user.pk
