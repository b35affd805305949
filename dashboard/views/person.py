"""The person page: a person's names, identifiers and detentions with their cases, requests and events
(people, casework and events at once, so it lives in the dashboard, above them all)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from casework.models import CaseSubject, StatedRequest
from core.access import sees_sensitive
from core.exposure import redact
from events.models import Event
from people.duplicates import merged_survivor
from people.models import Detention, Person, PersonIdentifier


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
        person = get_object_or_404(Person.objects.visible_to(user).select_related("depends_on"), pk=self.kwargs["pk"])
        redact(person, user)  # what the user may not read is blank (core/exposure.py)
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
