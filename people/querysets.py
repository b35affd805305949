"""Reads of people: who may see whom, and search by any name or spelling."""

from __future__ import annotations

from django.contrib.postgres.aggregates import BoolOr
from django.db import models
from django.db.models import Count, Exists, F, Func, Q

from core.access import sees_sensitive, visibility
from core.querysets import VisibleQuerySet
from people.names import NameQuery, query_keys

#: How many of the best-ranked matches a name search reads (access is checked on these): more than
#: anyone pages through, few enough that a common name (Kim) costs what a rare one does. A page
#: these do not fill (better matches the user may not see) reads further: see ``search_names``.
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


def _name_window(where):
    """The candidates' subquery ``search_names`` put in a query's conditions (marked), or None."""
    for child in getattr(where, "children", ()):
        rhs = getattr(child, "rhs", None)
        if getattr(rhs, "vigil_name_search", None) is not None:
            return rhs
        found = _name_window(child)
        if found is not None:
            return found
    return None


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
        otherwise). The order is that table's (rank, display_name, id).

        When those candidates do not fill what is asked (better matches the user may not
        see, or other filters, took the places), the search reads further: the next
        window of candidates, doubling, until the page is filled or the candidates end
        (``_walk_names``); a visible match ranked 501st is found, never dropped."""
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
        best.query.vigil_name_search = wanted  # found again by _name_window to read further
        size = candidates or SEARCH_CANDIDATES
        beyond = PersonSearch.objects.filter(matches(wanted, "keys"))[size : size + 1]
        return (
            self.filter(pk__in=best)
            # Whether candidates are left beyond the window, on every row (evaluated once: it does not
            # depend on the row): a page the window did not fill knows without a query whether to read on.
            .annotate(name_rank=NameRank.of(F("search__keys"), wanted), name_candidates_beyond=Exists(beyond))
            .order_by("-name_rank", "search__display_name", "search__person_id")
        )

    def _walk_names(self, read, enough: int):
        """``read()`` with the candidates' window widened until it gives ``enough`` rows or no
        candidate is left beyond the window. ``read`` hands back (what it read, how many rows,
        whether candidates are left beyond the window: read with the rows, or None when no row
        could say). A wider window only adds lower-ranked candidates, so what it adds comes
        after what was read before."""
        from people.models import PersonSearch

        window = _name_window(self.query.where)
        beyond = self.query.annotations.get("name_candidates_beyond")
        found, rows, more = read()
        while window is not None and rows < enough:
            size = window.high_mark
            if more is None:  # no row to say it: ask (an empty page)
                more = PersonSearch.objects.filter(matches(window.vigil_name_search, "keys"))[size : size + 1].exists()
            if not more:  # the candidates have ended: this is all there is
                break
            window.clear_limits()
            window.set_limits(0, size * 2)  # the window is this search's own (each clone shares it)
            if beyond is not None:
                beyond.query.clear_limits()
                beyond.query.set_limits(size * 2, size * 2 + 1)
            found, rows, more = read()
        return found

    def _wanted_rows(self, *, cap: int | None) -> int:
        """How many rows fill what is asked: the slice's, or ``cap`` (a whole list is one window's worth)."""
        query = self.query
        asked = query.high_mark - query.low_mark if query.high_mark is not None else None
        return min(n for n in (asked, cap) if n is not None) if (asked, cap) != (None, None) else 0

    def _is_name_search(self) -> bool:
        """Whether ``search_names`` made this queryset (its annotation says so: a dict lookup, so
        every other read of people pays nothing for the walk)."""
        return "name_candidates_beyond" in self.query.annotations and _name_window(self.query.where) is not None

    def _fetch_all(self):
        if self._result_cache is None and self._is_name_search():

            def read():
                rows = list(self._iterable_class(self))
                more = getattr(rows[0], "name_candidates_beyond", None) if rows else None
                return rows, len(rows), more

            enough = self._wanted_rows(cap=None if self.query.high_mark is not None else SEARCH_CANDIDATES)
            self._result_cache = self._walk_names(read, enough)
        super()._fetch_all()  # the prefetches

    def count(self) -> int:
        if self._result_cache is not None or not self._is_name_search():
            return super().count()

        def read():
            # The count and whether candidates are left beyond the window, in one statement.
            found = self.aggregate(rows=Count("*"), more=BoolOr("name_candidates_beyond"))
            return found["rows"], found["rows"], found["more"]

        # A count (a paginator's) walks as far as one window's worth of rows: page 1 and the pages
        # within the first SEARCH_CANDIDATES rows are counted as they are shown.
        return self._walk_names(read, self._wanted_rows(cap=SEARCH_CANDIDATES))


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
