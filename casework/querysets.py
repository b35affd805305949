"""Reads of casework records: visibility, current positions, stalled requests."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from casework.access import case_visibility, person_visibility
from core.querysets import VisibleQuerySet


class ActorQuerySet(models.QuerySet):
    """Actors are reference data like governments: no ``visible_to``, every permitted user
    sees them all (core.querysets.visible). What ties an actor to a case (an event, a
    source, a statement, an argument) is read from that record's own ``visible_to``."""

    def search_names(self, query: str) -> ActorQuerySet:
        """Actors with a name or spelling matching ``query`` in any script (people.names)."""
        from people.names import query_keys
        from people.querysets import matches

        wanted = query_keys(query)
        return self.filter(matches(wanted)) if wanted else self.none()


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


class StatedRequestQuerySet(CaseBoundQuerySet):
    """The one meaning of "stalled" (home card and list, cases filter, API, admin filter).

    A request is **stalled** when its status is "stalled", or when it is still open
    (not granted, denied or withdrawn) and has not moved (``last_moved_on``, kept by
    the database) for ``VIGIL_STALLED_AFTER_DAYS``. Requests of a minor category
    (supplies: medicine, clothing, food, tobacco, reading material) are never in
    it: they are **waiting supplies**, listed apart, by the same rule.
    """

    def access(self, user) -> Q:
        """Visible with its case, and only while its person is: a request of an open
        case made for a person held only in a restricted case (whose name every list of
        requests prints) is neither shown nor counted outside that case's team."""
        return super().access(user) & person_visibility(user, "person")

    def _idle(self, *, days: int | None = None, today: datetime.date | None = None) -> Q:
        from casework.models import SETTLED_REQUEST_STATUSES, RequestStatus

        days = settings.VIGIL_STALLED_AFTER_DAYS if days is None else days
        cutoff = (today or timezone.localdate()) - datetime.timedelta(days=days)
        return Q(status=RequestStatus.STALLED) | (~Q(status__in=SETTLED_REQUEST_STATUSES) & Q(last_moved_on__lt=cutoff))

    def stalled_condition(self, *, days: int | None = None, today: datetime.date | None = None) -> Q:
        from casework.models import MINOR_CATEGORIES

        return self._idle(days=days, today=today) & ~Q(category__in=MINOR_CATEGORIES)

    def stalled(self, *, days: int | None = None, today: datetime.date | None = None) -> StatedRequestQuerySet:
        return self.filter(self.stalled_condition(days=days, today=today))

    def with_stalled(self) -> StatedRequestQuerySet:
        """Annotate ``is_stalled`` (the same rule, per row: the API's ``stalled``)."""
        return self.annotate(is_stalled=ExpressionWrapper(self.stalled_condition(), output_field=BooleanField()))

    def waiting_supplies(self, *, days: int | None = None, today: datetime.date | None = None) -> StatedRequestQuerySet:
        from casework.models import MINOR_CATEGORIES

        return self.filter(self._idle(days=days, today=today), category__in=MINOR_CATEGORIES)

    def not_stalled(self, *, days: int | None = None, today: datetime.date | None = None) -> StatedRequestQuerySet:
        return self.exclude(self.stalled_condition(days=days, today=today))
