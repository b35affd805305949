"""The header's search box: cases, people, sources and events on one page (``dashboard.selectors.search_everything``)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from dashboard.selectors import SEARCH_SHOWN, search_everything


class SearchView(LoginRequiredMixin, TemplateView):
    template_name = "casework/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:200]
        found = (
            vars(search_everything(user=self.request.user, query=query, language=self.request.LANGUAGE_CODE))
            if query
            else {}
        )
        return super().get_context_data(query=query, found=found, shown=SEARCH_SHOWN, **kwargs)
