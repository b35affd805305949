"""Home: what needs attention this morning, across the cases the user may see."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.views.generic import TemplateView

from casework import selectors
from casework.access import access_generation
from casework.counts import home_figures
from core.budget import QueryCanceled, statement_budget
from core.shown import note as note_shown
from events.models import Event
from people.reader_names import attach_reader_names

STALLED_SHOWN = 25
LATEST_EVENTS_SHOWN = 10


def latest_events(user, *, limit: int = LATEST_EVENTS_SHOWN) -> tuple[list[Event], bool]:
    """The latest events in the user's own cases (led or on the team), or in
    every case they may see when they have none of their own."""
    # Both walk the events' newest-first index (event_newest_idx) and stop at ``limit``.
    newest = (
        Event.objects.visible_to(user)  # sensitive events only for those allowed
        .select_related("case")
        .order_by(F("occurred_on").desc(nulls_last=True), "-created_at", "-id")
    )
    own = list(newest.filter(case__in=selectors.my_case_ids(user))[:limit])
    if own:
        return own, True
    return list(newest[:limit]), False


def overview(user) -> dict:
    """The home page's figures and lists across every case the user may see.
    The figures are read from counters the database keeps (``home_figures``),
    every one exact. The lists walk indexes; they are kept in the shared cache
    for ``VIGIL_HOME_CACHE_SECONDS`` (``overview_of``), and each is given
    ``VIGIL_HOME_SECTION_SECONDS``: a list that takes longer is left out, and
    the page says so (``too_slow`` names the sections) rather than keep the
    page waiting."""
    too_slow: set[str] = set()

    def within_budget(name: str, compute, fallback):
        try:
            with statement_budget(settings.VIGIL_HOME_SECTION_SECONDS):
                return compute()
        except QueryCanceled:
            too_slow.add(name)
            return fallback

    # Every figure, exact, from the counters the database keeps (casework/counts.py): four queries.
    figures = home_figures(user)
    stalled = within_budget("stalled", lambda: selectors.stalled_requests(user, limit=STALLED_SHOWN + 1), [])
    supplies = within_budget(
        "supplies", lambda: selectors.stalled_requests(user, limit=STALLED_SHOWN + 1, supplies=True), []
    )
    events, events_mine = latest_events(user)  # two walks of an index, stopped at 10
    return {
        "case_counts": figures.case_counts,
        "open_case_count": sum(n for value, _label, n in figures.case_counts if value in selectors.OPEN_CASE_STATUSES),
        "detainee_counts": figures.detainee_counts,
        "request_counts": figures.request_counts,
        # The card's figure and the list below it: the same rule (StatedRequestQuerySet.stalled).
        "stalled_count": figures.stalled_count,
        "stalled_requests": stalled[:STALLED_SHOWN],
        "stalled_more": len(stalled) > STALLED_SHOWN,
        "supplies_requests": supplies[:STALLED_SHOWN],
        "supplies_more": len(supplies) > STALLED_SHOWN,
        "reviews": list(selectors.reviews_due(user)[:10]),
        "conditional_positions": within_budget("positions", lambda: selectors.conditional_positions(user), []),
        "latest_events": events,
        "latest_events_mine": events_mine,
        "too_slow": too_slow,
        "overview_as_of": timezone.now(),
    }


def overview_of(user, *, fresh: bool = False) -> dict:
    """``overview(user)``, from the cache when it is younger than the setting (per user:
    each sees their own cases); ``fresh`` computes it again. The key carries the
    access generation (``casework.access.access_generation``): once a team, a lead,
    a confidentiality or a role changes, no cached overview is read again."""
    seconds = settings.VIGIL_HOME_CACHE_SECONDS
    key = f"home-overview:{user.pk}:{access_generation()}" if seconds else ""
    found = None if fresh or not seconds else cache.get(key)
    if found is None:
        found = overview(user)
        if seconds:
            cache.set(key, found, seconds)
    else:
        # Records rebuilt from the cache were not loaded by this request: note them for the view log.
        for value in found.values():
            for item in value if isinstance(value, list) else ():
                if isinstance(item, models.Model):
                    note_shown(item)
    return found


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "casework/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        found = overview_of(user, fresh="fresh" in self.request.GET)
        # Names in the reader's script (리정철 for a Korean reader): one query for every person listed.
        people = [r.person for key in ("stalled_requests", "supplies_requests") for r in found[key]]
        people += [s.request.person for s in found["conditional_positions"] if s.request_id]
        attach_reader_names(people, self.request.LANGUAGE_CODE)
        return super().get_context_data(
            **found,
            stalled_after_days=selectors.stalled_after_days(),
            follow_ups=list(selectors.follow_ups_due(user)),  # the user's own tasks: always live
            **kwargs,
        )
