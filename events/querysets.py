"""Reads of sources and citations: visible when what they support is."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from casework.access import case_visibility
from casework.querysets import CaseBoundQuerySet
from core.access import EVERYTHING, sees_sensitive
from core.exposure import SENSITIVE_ROWS
from core.querysets import VisibleQuerySet

# Where each kind of cited fact leads to its case.
CITATION_CASE_PATHS = {
    "event": "event__case",
    "request": "request__case",
    "request_update": "request_update__request__case",
    "position": "position__involvement__case",
}


def sensitive_event(path: str = "") -> Q:
    """The event at ``path`` is sensitive: marked so, or a welfare incident (core.exposure.SENSITIVE_ROWS)."""
    prefix = f"{path}__" if path else ""
    condition = Q(pk__in=[])
    for name, values in SENSITIVE_ROWS["events.Event"]:
        condition |= Q(**{f"{prefix}{name}__in": values})
    return condition


def citation_visibility(user) -> Q:
    """A citation is visible when the fact it supports is."""
    conditions = [case_visibility(user, path) for path in CITATION_CASE_PATHS.values()]
    hide_sensitive = not sees_sensitive(user)
    if all(condition == EVERYTHING for condition in conditions) and not hide_sensitive:
        return EVERYTHING
    visible = Q(pk__in=[])
    for (fact, _path), condition in zip(CITATION_CASE_PATHS.items(), conditions, strict=True):
        branch = Q(**{f"{fact}__isnull": False}) & condition
        if fact == "event" and hide_sensitive:
            branch &= ~sensitive_event("event")
        visible |= branch
    return visible


class EventQuerySet(CaseBoundQuerySet):
    """Events, and rows linking to an event (``model.event_path``): sensitive
    events (welfare incidents, anything marked sensitive) only for users with
    ``people.view_sensitive``, in every interface and search."""

    def access(self, user) -> Q:
        visible = super().access(user)
        return visible if sees_sensitive(user) else visible & ~sensitive_event(self.model.event_path)


class CitationQuerySet(VisibleQuerySet):
    def access(self, user) -> Q:
        return citation_visibility(user)


class SourceQuerySet(VisibleQuerySet):
    def access(self, user) -> Q:
        """A source is visible unless every fact it supports is in cases the user
        may not see (a source cited nowhere is visible: it is reference material)."""
        from events.models import Citation

        condition = citation_visibility(user)
        if condition == EVERYTHING:
            return EVERYTHING
        cited = Citation.objects.filter(source=OuterRef("pk"))
        return ~Exists(cited) | Exists(cited.filter(condition))
