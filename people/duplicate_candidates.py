"""Duplicate candidates for many drafts at once (an import's chunk of rows).

``candidates_for_many`` gives each draft the same candidates, scores, reasons
and order as ``people.duplicates.candidates_for`` would one by one, in a fixed
number of queries for the whole chunk: one set-based query matches every
draft's whole-name keys (GIN indexes on the stored keys), birth-year and
nationality plausibility and identifier values against the people and their
other names; one more loads the people the user may see among them, with
their names, identifiers and detentions.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection

from people.duplicates import CANDIDATE_SCORE, MAX_FETCHED, Candidate, Draft, score
from people.models import Person

_MATCH_SQL = """
WITH drafts AS (
    SELECT * FROM unnest(%s::int[], %s::text[], %s::int[], %s::text[]) AS d(idx, keys, year, nat)
), draft_keys AS (
    SELECT d.idx, d.year, d.nat, array_agg(k)::varchar[] AS keys
    FROM drafts d, LATERAL unnest(string_to_array(d.keys, E'\\x1f')) k GROUP BY d.idx, d.year, d.nat
), draft_ids AS (
    SELECT * FROM unnest(%s::int[], %s::text[]) AS i(idx, value)
)
SELECT d.idx, p.id FROM draft_keys d JOIN people_person p ON p.name_keys && d.keys
WHERE p.deleted_at IS NULL
  AND (d.year IS NULL OR p.birth_date IS NULL OR extract(year FROM p.birth_date) BETWEEN d.year - 1 AND d.year + 1)
  AND (d.nat = '' OR p.nationality = '' OR p.nationality = d.nat)
UNION
SELECT d.idx, n.person_id FROM draft_keys d JOIN people_personname n ON n.name_keys && d.keys
UNION
SELECT i.idx, pi.person_id FROM draft_ids i JOIN people_personidentifier pi ON pi.value = i.value
"""


def candidates_for_many(*, drafts: dict[int, Draft], user, limit: int = 10) -> dict[int, list[Candidate]]:
    """Candidates (score at least ``CANDIDATE_SCORE``, best first, at most ``limit``) for
    each draft, keyed as ``drafts`` is; people ``user`` may not see are never candidates."""
    found: dict[int, list[Candidate]] = {idx: [] for idx in drafts}
    idxs, keys, years, nats, id_idxs, id_values = [], [], [], [], [], []
    for idx, draft in drafts.items():
        whole = sorted(draft.whole_keys)
        if whole:
            idxs.append(idx)
            keys.append("\x1f".join(whole))
            years.append(draft.birth_date.year if draft.birth_date else None)
            nats.append(draft.nationality or "")
        for _kind, value in draft.identifiers:
            if value:
                id_idxs.append(idx)
                id_values.append(value)
    if not idxs and not id_idxs:
        return found
    with connection.cursor() as cursor:
        cursor.execute(_MATCH_SQL, [idxs, keys, years, nats, id_idxs, id_values])
        matches = cursor.fetchall()
    if not matches:
        return found
    ids = {pk for _idx, pk in matches}
    people = {
        p.pk: p
        for p in Person.objects.visible_to(user)
        .filter(pk__in=ids)
        .prefetch_related("names", "identifiers", "detentions")
        .order_by()
    }
    by_draft: dict[int, list[Person]] = defaultdict(list)
    for idx, pk in matches:
        if pk in people:
            by_draft[idx].append(people[pk])
    for idx, matched in by_draft.items():
        matched.sort(key=lambda p: (p.display_name, p.pk))  # Person's ordering, as candidates_for fetches
        scored = [score(drafts[idx], person) for person in matched[:MAX_FETCHED]]
        scored = [c for c in scored if c.score >= CANDIDATE_SCORE]
        scored.sort(key=lambda c: (-c.score, c.person.pk))
        found[idx] = scored[:limit]
    return found
