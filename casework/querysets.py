"""Reads of casework records: visibility, current positions, stalled requests."""

from __future__ import annotations

from django.db import models
from django.db.models import OuterRef, Subquery

from casework.access import case_visibility


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        return self.filter(case_visibility(user))


class CaseBoundQuerySet(models.QuerySet):
    """Records hanging off a case (``model.case_path`` leads to it): visible when their case is."""

    def visible_to(self, user) -> CaseBoundQuerySet:
        return self.filter(case_visibility(user, self.model.case_path))


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
