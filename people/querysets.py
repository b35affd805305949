"""Reads of people: who may see whom, and search by any name or spelling."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from casework.access import person_visibility, sees_sensitive
from core.querysets import VisibleQuerySet
from people.names import NameQuery, query_keys


class SharedKeyCount(Func):
    """How many keys an indexed ``name_keys`` array shares with the query's keys
    (core PostgreSQL: no pg_trgm needed)."""

    output_field = models.IntegerField()

    def __init__(self, expression, keys: list[str]):
        super().__init__(expression)
        self.keys = keys

    def as_sql(self, compiler, connection, **extra):
        # One containment test per query key (a handful): no subquery, no set operation
        # for each of the thousands of rows a common name matches.
        sql, params = compiler.compile(self.source_expressions[0])
        if not self.keys:
            return "0", ()
        tests = " + ".join(f"({sql} @> ARRAY[%s]::varchar[])::int" for _ in self.keys)
        return f"({tests})", tuple(value for key in self.keys for value in (*params, key))


def matches(wanted: NameQuery) -> Q:
    """The indexed condition on ``name_keys`` (GIN: && and @>)."""
    condition = Q(name_keys__overlap=wanted.any_of) if wanted.any_of else Q(pk__in=[])
    if wanted.all_of:
        condition |= Q(name_keys__contains=wanted.all_of)
    return condition


class PersonQuerySet(VisibleQuerySet):
    def access(self, user) -> Q:
        """People in at least one case the user may see (or in none, recorded by the user)."""
        return person_visibility(user)

    def search_names(self, query: str) -> PersonQuerySet:
        """People with a name or spelling matching ``query`` in any script or
        romanization, best match first (annotated ``name_rank``)."""
        from people.models import PersonName

        wanted = query_keys(query)
        if not wanted:
            return self.none()
        other_names = PersonName.objects.filter(matches(wanted), person=OuterRef("pk"))
        best_other = (
            other_names.annotate(rank=SharedKeyCount(F("name_keys"), wanted.keys)).order_by("-rank").values("rank")[:1]
        )
        # id IN (people whose keys match UNION people with a name that matches): two GIN
        # index scans; an OR of the two would test every person's names.
        found = (
            self.model.objects.filter(matches(wanted))
            .values("pk")
            .union(PersonName.objects.filter(matches(wanted)).values("person_id"))
        )
        return (
            self.filter(pk__in=found)
            .annotate(
                name_rank=Greatest(
                    SharedKeyCount(F("name_keys"), wanted.keys),
                    Coalesce(Subquery(best_other), 0),
                )
            )
            .order_by("-name_rank", "display_name", "pk")
        )


class PersonRelatedQuerySet(VisibleQuerySet):
    """Names, identifiers and detentions: visible when their person is."""

    def access(self, user) -> Q:
        return person_visibility(user, "person")


class IdentifierQuerySet(PersonRelatedQuerySet):
    """Identifiers; service numbers (GC III details) only with ``people.view_sensitive``."""

    def access(self, user) -> Q:
        visible = super().access(user)
        return visible if sees_sensitive(user) else visible & ~Q(kind__in=self.model.SENSITIVE_KINDS)
