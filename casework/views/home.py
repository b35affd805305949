"""Home: what needs attention this morning, across the cases the user may see."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F
from django.views.generic import TemplateView

from casework import selectors
from casework.models import Case, CaseStatus, RequestStatus, StatedRequest
from events.models import Event
from people.models import PersonStatus

STALLED_SHOWN = 25
LATEST_EVENTS_SHOWN = 10


def latest_events(user, *, limit: int = LATEST_EVENTS_SHOWN) -> tuple[list[Event], bool]:
    """The latest events in the user's own cases (led or on the team), or in
    every case they may see when they have none of their own."""
    events = Event.objects.visible_to(user)  # sensitive events only for those allowed
    own = events.filter(case__in=selectors.my_case_ids(user))
    mine = own.exists()
    if mine:
        events = own
    events = events.select_related("case").order_by(F("occurred_on").desc(nulls_last=True), "-created_at", "-id")
    return list(events[:limit]), mine


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "casework/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        cases = Case.objects.visible_to(user)
        stalled = selectors.stalled_requests(user, limit=STALLED_SHOWN + 1)
        events, events_mine = latest_events(user)
        return super().get_context_data(
            case_counts=selectors.counts_by(cases, "status", CaseStatus.choices),
            open_case_count=cases.filter(status__in=selectors.OPEN_CASE_STATUSES).count(),
            detainee_counts=selectors.counts_by(selectors.detainees(user), "status", PersonStatus.choices),
            request_counts=selectors.counts_by(StatedRequest.objects.visible_to(user), "status", RequestStatus.choices),
            stalled_requests=stalled[:STALLED_SHOWN],
            stalled_more=len(stalled) > STALLED_SHOWN,
            stalled_after_days=selectors.stalled_after_days(),
            follow_ups=list(selectors.follow_ups_due(user)),
            reviews=list(selectors.reviews_due(user)[:10]),
            conditional_positions=selectors.conditional_positions(user),
            latest_events=events,
            latest_events_mine=events_mine,
            **kwargs,
        )
