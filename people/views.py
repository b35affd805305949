"""Dashboard pages about people: finding someone by any spelling of their name, the duplicate review.
The person page, which shows their cases and events too, is dashboard/views/person.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from core.forms import add_service_errors
from core.paginator import CappedPaginator
from people import selectors
from people.duplicates import (
    REVIEW_PERMISSION,
    Draft,
    candidates_for,
    merge_differences,
    pair_dismiss,
    person_merge,
    review_queue,
)
from people.forms import BirthYearsForm, MergeForm
from people.services import person_birth_years_set
from people.templatetags.people_ages import birth_years_text

PEOPLE_PER_PAGE = 50


class PersonSearchView(LoginRequiredMixin, TemplateView):
    """People the user may see, found by any name or spelling (리정철, Ri Jong Chol, Ри Чон Чхоль)."""

    template_name = "people/person_search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        people = selectors.person_search(user=self.request.user, query=query)
        page = CappedPaginator(people, PEOPLE_PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(query=query, page=page, people=page.object_list, **kwargs)


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
            self.person = selectors.visible_person(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        person = selectors.person_for_review(user=self.request.user, pk=self.person.pk)
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


class PersonBirthYearsView(LoginRequiredMixin, FormView):
    """A person's approximate age as years of birth (``people.services.person_birth_years_set``):
    the person must be visible (else 404), then the user may change people (else 403)."""

    template_name = "people/person_form.html"
    form_class = BirthYearsForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = selectors.visible_person(user=request.user, pk=kwargs["pk"])
        if not request.user.has_perm("people.change_person"):
            raise PermissionDenied(gettext("You may not change this person's details."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.person}

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, title=_("Approximate age"), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = person_birth_years_set(
                    user=self.request.user,
                    person=form.instance,
                    earliest=data["birth_year_earliest"],
                    latest=data["birth_year_latest"],
                    age_estimate=data["age_estimate"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        years = birth_years_text(person) or _("no years of birth")
        messages.success(
            self.request, _("Recorded for %(name)s: %(years)s.") % {"name": person.display_name, "years": years}
        )
        return redirect(person)
