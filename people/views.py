"""Dashboard pages about people: finding someone by any spelling of their name, and the person page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.generic import TemplateView

from casework.access import sees_sensitive
from casework.models import CaseSubject, StatedRequest
from core.exposure import redact
from core.paginator import CappedPaginator
from events.models import Event
from people.duplicates import (
    REVIEW_PERMISSION,
    Draft,
    candidates_for,
    merge_differences,
    merged_survivor,
    pair_dismiss,
    person_merge,
    review_queue,
)
from people.forms import MergeForm
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


class DataManagerMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Pages of the duplicate review: data managers only (403 for others)."""

    permission_required = REVIEW_PERMISSION  # signed out: to the sign-in page; signed in without it: 403


class DuplicateQueueView(DataManagerMixin, TemplateView):
    """Possible duplicates across the whole database, best first (people/duplicates.py)."""

    template_name = "people/duplicate_queue.html"

    def get_context_data(self, **kwargs):
        page = CappedPaginator(review_queue(user=self.request.user), PEOPLE_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(page=page, pairs=page.object_list, **kwargs)


class PersonDuplicatesView(DataManagerMixin, TemplateView):
    """The people who may be this one, compared field by field: merge one in, or say they differ."""

    template_name = "people/person_duplicates.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # 404 before 403: an outsider learns nothing of a person they may not see.
            self.person = get_object_or_404(Person.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        person = Person.objects.prefetch_related("names", "identifiers", "detentions").get(pk=self.person.pk)
        found = candidates_for(draft=Draft.of(person), user=self.request.user, person=person)
        rows = [(candidate, merge_differences(person, candidate.person)) for candidate in found]
        return super().get_context_data(person=person, candidates=rows, **kwargs)

    def post(self, request, *args, **kwargs):
        form = MergeForm(request.POST, user=request.user, person=self.person)
        if not form.is_valid():
            messages.error(request, " ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
            return redirect("person_duplicates", pk=self.person.pk)
        other = form.cleaned_data["other"]
        try:
            if form.cleaned_data["action"] == "not_same":
                pair_dismiss(person=self.person, other=other, user=request.user)
                messages.success(
                    request,
                    gettext("Noted: %(other)s is not the same person. You will not be asked again.") % {"other": other},
                )
                return redirect("person_duplicates", pk=self.person.pk)
            person_merge(survivor=self.person, other=other, user=request.user, take=form.cleaned_data["take"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("person_duplicates", pk=self.person.pk)
        messages.success(
            request,
            gettext("%(other)s was merged into this record; the merge can be undone from the bin.") % {"other": other},
        )
        return redirect(self.person)
