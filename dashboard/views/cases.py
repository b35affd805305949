"""The cases list (the casework FilterSet as a form, sortable, paginated) and the case page."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from casework.forms import FollowUpForm, NoteForm, describe_filters, style_filter_form
from casework.selectors import filtered_cases
from casework.views.common import visible_case
from core.paginator import CappedPaginator
from dashboard.selectors import case_page
from dashboard.views.timeline_filter import PRECISIONS, TypedTimelineFilter
from dashboard.views.translations import translate_permissions
from events.timeline import EntryKind
from people.reader_names import attach_reader_names

CASES_PER_PAGE = 25

# ?sort= value → ordering (a leading "-" reverses it).
SORTS = {
    "reference": ("reference",),
    "title": ("title",),
    "status": ("status",),
    "priority": ("priority_rank",),
    "opened": ("opened_on",),
    "review": ("next_review_on",),
}
SORT_LABELS = {
    "reference": "Reference",
    "title": "Title",
    "status": "Status",
    "priority": "Priority",
    "opened": "Opened",
    "review": "Next review",
}


def ordering_for(sort: str) -> tuple[str, ...] | None:
    descending = sort.startswith("-")
    fields = SORTS.get(sort.lstrip("-"))
    if fields is None:
        return None
    return (*(f"-{f}" if descending else f for f in fields), "-id" if descending else "id")


class CaseListView(LoginRequiredMixin, TemplateView):
    template_name = "casework/case_list.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        sort = params.get("sort", "")
        # Invalid filters show their errors and no cases, never a list that silently ignores them.
        filterset, cases = filtered_cases(
            user=self.request.user, params=params, request=self.request, ordering=ordering_for(sort)
        )
        style_filter_form(filterset.form)
        page = CappedPaginator(cases, CASES_PER_PAGE).get_page(params.get("page"))
        # The detainees' names in the reader's script: one query for the page.
        attach_reader_names([s.person for case in page.object_list for s in case.detainees], self.request.LANGUAGE_CODE)
        active = [name for name, value in params.lists() if name not in ("sort", "page") and any(value)]
        return super().get_context_data(
            filterset=filterset,
            form=filterset.form,
            page=page,
            cases=page.object_list,
            sort=sort,
            sort_columns=list(SORT_LABELS.items()),
            filtered=bool(active),
            active_filters=describe_filters(filterset.form),
            **kwargs,
        )


#: The case page's actions, each offered to who holds its permission.
CASE_PAGE_PERMISSIONS = {
    "add_event": "events.add_event",
    "add_update": "casework.add_requestupdate",
    "add_position": "casework.add_positionstatement",
    "add_note": "casework.add_casenote",
    "add_follow_up": "casework.add_followup",
    "add_intervention": "casework.add_intervention",
    "add_argument": "casework.add_legalargument",
    "change_follow_up": "casework.change_followup",
}


class CaseDetailView(LoginRequiredMixin, TemplateView):
    """The case page: the people and what they asked, the governments and what
    they said, the timeline, the team's notes and follow-ups (``dashboard.selectors.case_page``)."""

    template_name = "casework/case_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        case = visible_case(user, self.kwargs["reference"])
        can = {name: user.has_perm(permission) for name, permission in CASE_PAGE_PERMISSIONS.items()}
        can["admin"] = user.is_staff and user.has_perm("casework.change_case")
        can["translate"] = translate_permissions(user)
        can["any"] = any(can[name] for name in ("add_event", "add_update", "add_position", "add_note"))
        # A long timeline shows its latest entries; ?timeline=all shows it whole; ?since=&until=&kind=
        # what the API's timeline would (events.timeline.TimelineFilter: periods wholly in the range).
        wanted = TypedTimelineFilter.from_query(self.request.GET)  # dates as people write them
        page = case_page(
            case=case,
            user=user,
            whole_timeline=self.request.GET.get("timeline") == "all",
            timeline_filters=wanted.sql_filters() if wanted.active else None,
        )
        return super().get_context_data(
            **vars(page),
            timeline_filter=wanted,
            timeline_kinds=EntryKind.LABELS.items(),
            timeline_precisions=PRECISIONS,
            note_form=NoteForm() if can["add_note"] else None,
            follow_up_form=FollowUpForm(case=case, user=user, team=page.team) if can["add_follow_up"] else None,
            can=can,
            **kwargs,
        )
