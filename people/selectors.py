"""People's reads for the dashboard's pages, each starting from ``Person.objects.visible_to(user)``
(people/querysets.py: who may see whom, search by any name or spelling). The duplicate review's
reads live with the review (people/duplicates.py: ``review_queue``, ``candidates_for``)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from people.models import Person, PersonName


def person_search(*, user, query: str) -> QuerySet[Person]:
    """The people ``user`` may see named ``query`` in any script or spelling, best match first
    (``PersonQuerySet.search_names``), or all of them by name when ``query`` is empty; each with
    their names (one query for the page)."""
    people = Person.objects.visible_to(user)
    people = people.search_names(query) if query else people.order_by("display_name", "id")
    return people.prefetch_related(Prefetch("names", queryset=PersonName.objects.order_by("kind", "name")))


def visible_person(*, user, pk: int) -> Person:
    """The person with this id if ``user`` may see them; 404 otherwise, so an outsider cannot
    tell a person they may not see from one that does not exist."""
    return get_object_or_404(Person.objects.visible_to(user), pk=pk)


def person_for_review(*, user, pk: int) -> Person:
    """The person compared with their possible duplicates, with their names, identifiers and
    detentions (404 if ``user`` may not see them)."""
    people = Person.objects.visible_to(user).prefetch_related("names", "identifiers", "detentions")
    return get_object_or_404(people, pk=pk)
