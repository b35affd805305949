"""The person page: a person's names, identifiers and detentions with their cases, requests and events
(people, casework and events at once, so it lives in the dashboard, above them all)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from core.access import sees_sensitive
from dashboard.selectors import person_page
from people.duplicates import merged_survivor


class PersonDetailView(LoginRequiredMixin, TemplateView):
    """All of a person's names and identifiers, detentions, cases, requests and events."""

    template_name = "people/person_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A record merged into another (people/duplicates.py): its old address leads to the survivor.
            survivor = merged_survivor(pk=self.kwargs["pk"], user=request.user)
            if survivor is None:
                raise
            return redirect(survivor, permanent=True)

    def get_context_data(self, **kwargs):
        user = self.request.user
        page = person_page(pk=self.kwargs["pk"], user=user)
        return super().get_context_data(
            **vars(page),
            sees_sensitive=sees_sensitive(user),
            can_admin=user.is_staff and user.has_perm("people.change_person"),
            can_change=user.has_perm("people.change_person"),
            **kwargs,
        )
