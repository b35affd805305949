"""The events' reads for the pages, keyword-only, each through ``visible_to(user)``.

A case's timeline (its events, request updates, position statements and interventions in date
order) is read by events/timeline/, one page finder for the API and the pages; a page calls it
through ``case_timeline`` or ``timeline_page`` here. The caller has found the case through
``Case.objects.visible_to(user)`` (``casework.selectors.visible_case``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from casework.models import Case
from events import timeline
from events.models import Source
from events.timeline import TimelineEntry, TimelinePage


def case_timeline(*, case: Case, user, latest: int | None = None, **filters) -> list[TimelineEntry]:
    """Every entry of ``case``'s timeline ``user`` may see, oldest first, or the ``latest`` ones
    (``events.timeline.case_timeline``: ``since``, ``until``, ``kinds``, ``translations``)."""
    return timeline.case_timeline(case, user=user, latest=latest, **filters)


def timeline_page(*, case: Case, user, size: int, **options) -> TimelinePage:
    """``size`` entries of ``case``'s timeline ``user`` may see (``events.timeline.timeline_page``:
    ``after``, ``before``, ``last``, ``since``, ``until``, ``kinds``, ``translations``)."""
    return timeline.timeline_page(case, user=user, size=size, **options)


def case_sources(*, case: Case, user) -> QuerySet[Source]:
    """The sources ``user`` may see that something of ``case`` cites: a source belongs to no case,
    it is in one when an event, a request, a position (its citations or its own source) or a
    request update of the case names it."""
    cited = (
        Q(citations__event__case=case)
        | Q(citations__request__case=case)
        | Q(citations__position__involvement__case=case)
        | Q(positions__involvement__case=case)
        | Q(request_updates__request__case=case)
    )
    return Source.objects.visible_to(user).filter(cited).distinct()
