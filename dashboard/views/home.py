"""Home: what needs attention this morning, across the cases the user may see (``dashboard.selectors.home_page``)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from dashboard.selectors import home_page


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "casework/home.html"

    def get_context_data(self, **kwargs):
        page = home_page(user=self.request.user, language=self.request.LANGUAGE_CODE, fresh="fresh" in self.request.GET)
        return super().get_context_data(**vars(page), **kwargs)
