"""A person's name in the reader's script on pages that list many people (the
home page, the cases list, search results) without a query per row: the names
of every person on the page in the reader's language are read in one query
(none for an English reader: the display name is already Latin), and each
person's ``name_for_reader`` uses them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q


def attach_reader_names(people: Iterable, language: str | None) -> None:
    """Give each of ``people`` (Person instances, None skipped) the names it has in
    ``language``'s own script, for ``Person.name_for_reader`` (one query for all)."""
    from people.models import NameKind, PersonName

    reader = (language or "").split("-")[0]
    people = [person for person in people if person is not None and not hasattr(person, "_reader_names")]
    if not people or not reader or reader == "en":
        return
    found = defaultdict(list)
    rows = (
        PersonName.objects.filter(person_id__in={person.pk for person in people})
        .filter(Q(language=reader) | Q(language__startswith=f"{reader}-"))
        .exclude(language__contains="-Latn")
        .exclude(kind=NameKind.ALIAS)
        .order_by("kind", "name")  # as the pages that prefetch a person's names read them
    )
    for name in rows:
        found[name.person_id].append(name)
    for person in people:
        person._reader_names = found.get(person.pk, [])
