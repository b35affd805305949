"""Reads of people: who may see whom, and search by any name or spelling."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Func, Q

from core.access import sees_sensitive, visibility
from core.querysets import VisibleQuerySet
from people.names import NameQuery, query_keys

#: How many of the best-ranked matches a name search reads (access is checked on these): more than
#: anyone pages through, few enough that a common name (Kim) costs what a rare one does.
SEARCH_CANDIDATES = 500


class NameRank(Func):
    """How well an indexed keys array matches the query: one point per query key
    it holds, and as many again for the exact spelling (x:), so the name as
    written always ranks first (core PostgreSQL: no pg_trgm needed)."""

    output_field = models.IntegerField()

    def __init__(self, expression, weights: tuple[tuple[str, int], ...]):
        super().__init__(expression)
        self.weights = weights

    @classmethod
    def of(cls, expression, wanted: NameQuery) -> NameRank:
        return cls(expression, (*((key, 1) for key in wanted.keys), *((key, len(wanted.keys)) for key in wanted.exact)))

    def as_sql(self, compiler, connection, **extra):
        # One containment test per query key (a handful): no subquery, no set operation
        # for each of the thousands of rows a common name matches.
        sql, params = compiler.compile(self.source_expressions[0])
        if not self.weights:
            return "0", ()
        tests = " + ".join(f"({sql} @> ARRAY[%s]::varchar[])::int * {weight}" for _key, weight in self.weights)
        return f"({tests})", tuple(value for key, _weight in self.weights for value in (*params, key))


def matches(wanted: NameQuery, field: str = "name_keys") -> Q:
    """The indexed condition on a keys array (GIN: && and @>): a whole-name key in
    common, or every word of one reading of the query."""
    condition = Q(**{f"{field}__overlap": wanted.any_of}) if wanted.any_of else Q(pk__in=[])
    for words in wanted.all_of_either:
        condition |= Q(**{f"{field}__contains": list(words)})
    return condition


class PersonQuerySet(VisibleQuerySet):
    def access(self, user) -> Q:
        """People in at least one case the user may see (or in none, recorded by the user)."""
        return visibility("person", user)

    def search_names(self, query: str, *, candidates: int | None = None) -> PersonQuerySet:
        """People with a name or spelling matching ``query`` in any script or
        romanization, best match first (annotated ``name_rank``).

        The candidates come from one GIN-indexed array per person (``PersonSearch.keys``:
        every key of all their names), ranked there and cut at the best ``candidates``
        (``SEARCH_CANDIDATES``) in a subquery of their own: a LIMIT PostgreSQL cannot pull
        up into the outer query, so the index finds the matches, the ranking sorts them
        without reading a person, and access and the other filters are checked on those
        few only, never on each of the thousands of people a common name matches (nor with
        a sequential scan of every person, which the planner may choose for the whole query
        otherwise). The order is that table's (rank, display_name, id)."""
        from people.models import PersonSearch

        wanted = query_keys(query)
        if not wanted:
            return self.none()
        best = (
            PersonSearch.objects.filter(matches(wanted, "keys"))
            .annotate(rank=NameRank.of(F("keys"), wanted))
            .order_by("-rank", "display_name", "person_id")
            .values("person_id")[: candidates or SEARCH_CANDIDATES]
        )
        return (
            self.filter(pk__in=best)
            .annotate(name_rank=NameRank.of(F("search__keys"), wanted))
            .order_by("-name_rank", "search__display_name", "search__person_id")
        )


class PersonRelatedQuerySet(VisibleQuerySet):
    """Names, identifiers and detentions: visible when their person is."""

    def access(self, user) -> Q:
        return visibility("person", user, "person")

    def with_visible_people(self, user) -> PersonRelatedQuerySet:
        """The rows to prefetch onto people already found through ``Person.objects.visible_to(user)``:
        a row is visible exactly when its person is, so the access rule is not asked again for each
        (PostgreSQL evaluates it for every person of every case there: seconds at a million cases);
        only what ``user`` may not read of a visible person is left out."""
        return self.all()


class IdentifierQuerySet(PersonRelatedQuerySet):
    """Identifiers; service numbers (GC III details) only with ``people.view_sensitive``."""

    def access(self, user) -> Q:
        visible = super().access(user)
        return visible if sees_sensitive(user) else visible & ~Q(kind__in=self.model.SENSITIVE_KINDS)

    def with_visible_people(self, user) -> IdentifierQuerySet:
        return self.all() if sees_sensitive(user) else self.exclude(kind__in=self.model.SENSITIVE_KINDS)
