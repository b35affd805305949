"""The header's search box: cases (by reference, title, summary and the names of the
people in them), people (by every spelling), sources and events (by their words or any
translation of them), on one page."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.postgres.search import SearchQuery
from django.db.models import Exists, OuterRef, Q
from django.views.generic import TemplateView

from casework.models import Case, CaseSubject
from events.models import Event, Source
from people.models import Person
from people.reader_names import attach_reader_names

SHOWN = 10  # of each kind; each list links on to its own full search


def search_everything(user, query: str) -> dict:
    """The first matches of each kind the user may see (each from ``visible_to``)."""
    words = SearchQuery(query, search_type="websearch", config="english")
    people = Person.objects.visible_to(user).search_names(query)
    named = CaseSubject.objects.filter(case=OuterRef("pk"), person__in=people.values("pk"))
    cases = (
        Case.objects.visible_to(user)
        .filter(Q(search_vector=words) | Q(reference__iexact=query) | Exists(named))
        .order_by("-opened_on", "-id")
    )
    return {
        "cases": list(cases[:SHOWN]),
        "people": list(people[:SHOWN]),  # their names in the reader's script: attach_reader_names
        "sources": list(
            Source.objects.visible_to(user)
            .filter(Q(search_vector=words) | Source.translated_as(query))
            .order_by("-published_on", "-id")[:SHOWN]
        ),
        "events": list(
            Event.objects.visible_to(user)
            .filter(Q(search_vector=words) | Event.translated_as(query))
            .select_related("case")
            .order_by("-occurred_on", "-id")[:SHOWN]
        ),
    }


class SearchView(LoginRequiredMixin, TemplateView):
    template_name = "casework/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:200]
        found = search_everything(self.request.user, query) if query else {}
        attach_reader_names(found.get("people", ()), self.request.LANGUAGE_CODE)  # one query, not one a row
        return super().get_context_data(query=query, found=found, shown=SHOWN, **kwargs)
