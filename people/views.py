"""Dashboard pages about people: finding someone by any spelling of their name, and the person page."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from casework.access import sees_sensitive
from casework.models import CaseSubject, StatedRequest
from core.paginator import CappedPaginator
from events.models import Event
from people.models import Detention, Person, PersonIdentifier, PersonName

PEOPLE_PER_PAGE = 50


class PersonSearchView(LoginRequiredMixin, TemplateView):
    """People the user may see, found by any name or spelling (리정철, Ri Jong Chol, Ри Чон Чхоль)."""

    template_name = "people/person_search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        people = Person.objects.visible_to(self.request.user)
        people = people.search_names(query) if query else people.order_by("display_name", "id")
        people = people.prefetch_related(Prefetch("names", queryset=PersonName.objects.order_by("kind", "name")))
        page = CappedPaginator(people, PEOPLE_PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(query=query, page=page, people=page.object_list, **kwargs)


class PersonDetailView(LoginRequiredMixin, TemplateView):
    """All of a person's names and identifiers, detentions, cases, requests and events."""

    template_name = "people/person_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        person = get_object_or_404(Person.objects.visible_to(user).select_related("depends_on"), pk=self.kwargs["pk"])
        sensitive = sees_sensitive(user)
        # visible_to() leaves out what is sensitive (service numbers, welfare incidents) for those not allowed.
        identifiers = PersonIdentifier.objects.visible_to(user).filter(person=person).order_by("kind", "value")
        events = Event.objects.visible_to(user).filter(event_people__person=person)
        return super().get_context_data(
            person=person,
            names=list(person.names.order_by("kind", "name")),
            identifiers=list(identifiers),
            detentions=list(
                Detention.objects.filter(person=person)
                .select_related("authority")
                .order_by(F("started_on").desc(nulls_last=True), "-id")
            ),
            subjects=list(
                CaseSubject.objects.visible_to(user)
                .filter(person=person)
                .select_related("case")
                .order_by("-case__opened_on")
            ),
            requests=list(
                StatedRequest.objects.visible_to(user)
                .filter(person=person)
                .select_related("case", "addressed_to")
                .order_by("first_stated_on", "id")
            ),
            events=list(events.select_related("case").order_by(F("occurred_on").asc(nulls_last=True), "id")),
            sees_sensitive=sensitive,
            can_admin=user.is_staff and user.has_perm("people.change_person"),
            **kwargs,
        )
