"""Reads of casework records: visibility, current positions, stalled requests."""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery

from casework.access import case_visibility
from core.querysets import VisibleQuerySet


class CaseQuerySet(VisibleQuerySet):
    def access(self, user) -> Q:
        return case_visibility(user)


class CaseBoundQuerySet(VisibleQuerySet):
    """Records hanging off a case (``model.case_path`` leads to it): visible when their case is."""

    def access(self, user) -> Q:
        return case_visibility(user, self.model.case_path)


class InvolvementQuerySet(CaseBoundQuerySet):
    def with_current_position(self) -> InvolvementQuerySet:
        """Annotate the latest statement's (on the case or any of its requests) stance, condition, date and precision
        (a government's current position is its latest PositionStatement)."""
        from casework.models import PositionStatement

        latest = PositionStatement.objects.filter(involvement=OuterRef("pk")).order_by(*PositionStatement.LATEST_FIRST)
        return self.annotate(
            current_stance=Subquery(latest.values("stance")[:1]),
            current_condition=Subquery(latest.values("condition")[:1]),
            current_stated_on=Subquery(latest.values("stated_on")[:1]),
            current_stated_on_precision=Subquery(latest.values("stated_on_precision")[:1]),
        )
