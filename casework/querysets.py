"""Reads of casework records: visibility, current positions, stalled requests."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import JSONObject

from casework.access import case_visibility
from core.querysets import VisibleQuerySet


class CaseQuerySet(VisibleQuerySet):
    def access(self, user) -> Q:
        return case_visibility(user)

    def with_team_and_subjects(self, user) -> CaseQuerySet:
        """Annotate ``team_ids`` (user ids) and ``subject_rows`` (the people in the
        case the user may see: ``{"id", "person", "role"}``) as arrays in the
        same query, so a page of cases is one query, not three."""
        from casework.models import CaseMember, CaseSubject

        team = CaseMember.objects.filter(case=OuterRef("pk")).order_by("user_id").values("user_id")
        subjects = (
            CaseSubject.objects.visible_to(user)
            .filter(case=OuterRef("pk"))
            .order_by("role", "id")
            .values(row=JSONObject(id="id", person="person_id", role="role"))
        )
        return self.annotate(team_ids=ArraySubquery(team), subject_rows=ArraySubquery(subjects))


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
