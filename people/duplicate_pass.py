"""The full duplicate pass, scored in SQL: every pair of people sharing a stored key, at scale.

Set-based statements do the work. The keys are gathered once into a temporary
table, each with a bucket (a range of its hash); the pairs are then made a
bucket at a time, so each bucket's sorts stay in memory at a million people,
and a pair found through several keys is kept once. They pair the people who share a
whole-name key (the stored ``name_keys`` of people and of their other names:
every script and romanization, people/names.py) or an identifier value; a key
shared by more than ``VIGIL_DUPLICATE_KEY_CAP`` people (a common name, a
sound-alike of one) pairs only those of them born the same year, and none at
all when even a year holds more than the cap ("Kim"): pairs grow with the
square of a group, and such a key is no evidence alone. One statement scores
every pair as ``people.duplicates.score`` does, column against column:

- the name: the strongest kind of key the two share (x: the same spelling 35,
  k: the same name read across scripts and romanizations 30, m: names that
  sound alike 15);
- identifiers: 60 for each of the first person's identifiers the other holds;
- birth: the same day 25, the same year 15, a year apart 5, further apart -40;
- nationality: the same 5, different -25; the same place of detention 10.

Only pairs scoring at least ``CANDIDATE_SCORE`` leave PostgreSQL, in batches;
Python words their reasons (which scripts the names matched in, from each
name's keys, computed once per distinct name) and upserts them into the
review queue (COPY into a temporary table, one INSERT ... ON CONFLICT a batch). A pair judged "not the same person" keeps its judgement.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction

from people import reasons as codes
from people.duplicates import CANDIDATE_SCORE, Draft, _name_reason
from people.models import PairStatus, Person, PersonName

#: Every whole-name key (of a person and of their other names) and identifier, once, with a
#: bucket of its key: the pairs are then made a bucket (a range of key hashes) at a time.
_KEYS_SQL = """
CREATE TEMP TABLE dup_keys AS
SELECT person_id, key, born, abs(hashtext(key)) %% %(buckets)s AS bucket FROM (
    SELECT p.id AS person_id, k AS key, extract(year FROM p.birth_date)::int AS born
    FROM people_person p, unnest(p.name_keys) k WHERE p.deleted_at IS NULL AND k NOT LIKE 't:%%'
    UNION ALL
    SELECT n.person_id, k, extract(year FROM p.birth_date)::int
    FROM people_personname n JOIN people_person p ON p.id = n.person_id AND p.deleted_at IS NULL,
         unnest(n.name_keys) k
    WHERE k NOT LIKE 't:%%'
    UNION ALL
    SELECT i.person_id, 'i:' || i.kind || ':' || lower(i.value), extract(year FROM p.birth_date)::int
    FROM people_personidentifier i JOIN people_person p ON p.id = i.person_id AND p.deleted_at IS NULL
) keyed
"""

#: One bucket's pairs: its keys' groups (a key too common pairs only those born the same year).
_PAIRS_SQL = """
INSERT INTO dup_pair_parts (a, b)
WITH whole AS (
    SELECT DISTINCT person_id, key, born FROM dup_keys WHERE bucket = %(bucket)s
), counted AS (
    SELECT person_id, key, born, count(*) OVER (PARTITION BY key) AS n FROM whole
), groups AS (
    SELECT array_agg(person_id) AS ids FROM counted WHERE n BETWEEN 2 AND %(cap)s GROUP BY key
    UNION ALL  -- a key too common to pair everyone: only those born the same year
    SELECT array_agg(person_id) FROM counted WHERE n > %(cap)s AND born IS NOT NULL
    GROUP BY key, born HAVING count(*) BETWEEN 2 AND %(cap)s
)
SELECT DISTINCT a, b FROM groups, unnest(ids) a, unnest(ids) b WHERE a < b
"""

#: Key rows a bucket holds, about: one statement up to ~2.5 million people (each bucket rescans the keys).
BUCKET_ROWS = 40_000_000
#: Memory for each sort and hash of the pass's statements (its own session).
SORT_MEMORY = "64MB"

_SCORE_SQL = """
CREATE TEMP TABLE dup_scored AS
WITH wanted AS (
    SELECT a AS person_id FROM dup_pairs UNION SELECT b FROM dup_pairs
), person_keys AS (  -- their whole-name keys by kind, from the keys the pairs were made of
    SELECT k.person_id,
        array_agg(DISTINCT k.key) FILTER (WHERE k.key LIKE 'x:%%') AS xs,
        array_agg(DISTINCT k.key) FILTER (WHERE k.key LIKE 'k:%%') AS ks,
        array_agg(DISTINCT k.key) FILTER (WHERE k.key LIKE 'm:%%') AS ms
    FROM dup_keys k JOIN wanted w ON w.person_id = k.person_id WHERE k.key NOT LIKE 'i:%%' GROUP BY k.person_id
), person_ids AS (
    SELECT i.person_id, array_agg(i.kind || ':' || lower(btrim(i.value)) ORDER BY i.kind, i.id) AS ids
    FROM people_personidentifier i JOIN wanted w ON w.person_id = i.person_id GROUP BY i.person_id
), person_places AS (
    SELECT d.person_id, array_agg(DISTINCT lower(btrim(d.facility))) AS places
    FROM people_detention d JOIN wanted w ON w.person_id = d.person_id WHERE d.facility <> '' GROUP BY d.person_id
), parts AS (
    SELECT pr.a, pr.b,
        CASE
            WHEN ka.xs && kb.xs THEN 35
            WHEN ka.ks && kb.ks THEN 30
            WHEN ka.ms && kb.ms THEN 15
            ELSE 0
        END AS name_points,
        ARRAY(
            SELECT split_part(v, ':', 1) FROM unnest(ia.ids) WITH ORDINALITY u(v, n)
            WHERE v = ANY (ib.ids) ORDER BY n
        ) AS same_ids,
        CASE
            WHEN pa.birth_date IS NULL OR pb.birth_date IS NULL THEN NULL
            WHEN pa.birth_date_precision = 'day' AND pb.birth_date_precision = 'day'
                 AND pa.birth_date = pb.birth_date THEN -1
            ELSE abs(extract(year FROM pa.birth_date)::int - extract(year FROM pb.birth_date)::int)
        END AS birth_gap,
        CASE WHEN pa.nationality <> '' AND pb.nationality <> '' THEN pa.nationality = pb.nationality END AS same_nat,
        coalesce(la.places && lb.places, false) AS same_place
    FROM dup_pairs pr
    JOIN people_person pa ON pa.id = pr.a
    JOIN people_person pb ON pb.id = pr.b
    LEFT JOIN person_keys ka ON ka.person_id = pr.a
    LEFT JOIN person_keys kb ON kb.person_id = pr.b
    LEFT JOIN person_ids ia ON ia.person_id = pr.a
    LEFT JOIN person_ids ib ON ib.person_id = pr.b
    LEFT JOIN person_places la ON la.person_id = pr.a
    LEFT JOIN person_places lb ON lb.person_id = pr.b
), scored AS (
    SELECT *, greatest(0,
        name_points + 60 * cardinality(same_ids)
        + CASE WHEN birth_gap IS NULL THEN 0 WHEN birth_gap = -1 THEN 25 WHEN birth_gap = 0 THEN 15
               WHEN birth_gap = 1 THEN 5 ELSE -40 END
        + CASE WHEN same_nat IS NULL THEN 0 WHEN same_nat THEN 5 ELSE -25 END
        + CASE WHEN same_place THEN 10 ELSE 0 END
    ) AS score
    FROM parts
)
SELECT row_number() OVER (ORDER BY a, b) AS rn, * FROM scored WHERE score >= %s
"""


def duplicate_pass(
    *, batch_size: int = 5000, group_cap: int | None = None, progress: Callable[[int, int, int], None] | None = None
) -> dict:
    """Score every candidate pair in SQL and keep those worth reviewing in the queue.
    ``progress(pairs worded, pairs worth a review, pairs queued)`` after each batch."""
    cap = group_cap or settings.VIGIL_DUPLICATE_KEY_CAP
    counts = {"pairs": 0, "queued": 0}
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS dup_keys, dup_pair_parts, dup_pairs, dup_scored")
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        try:
            cursor.execute("SET work_mem = %s", [SORT_MEMORY])
            cursor.execute("SELECT count(*) FROM people_person WHERE deleted_at IS NULL")
            buckets = max(1, cursor.fetchone()[0] * 15 // BUCKET_ROWS)  # ~15 whole keys a person
            cursor.execute(_KEYS_SQL, {"buckets": buckets})
            # No index while the buckets add their pairs (a temporary table's index outgrows its
            # buffers at millions of pairs): a pair found in two buckets is made one at the end.
            cursor.execute("CREATE TEMP TABLE dup_pair_parts (a bigint, b bigint)")
            for bucket in range(buckets):
                cursor.execute(_PAIRS_SQL, {"bucket": bucket, "cap": cap})
            if buckets == 1:
                cursor.execute("ALTER TABLE dup_pair_parts RENAME TO dup_pairs")
            else:
                cursor.execute("CREATE TEMP TABLE dup_pairs AS SELECT DISTINCT a, b FROM dup_pair_parts")
                cursor.execute("DROP TABLE dup_pair_parts")
            cursor.execute("SELECT count(*) FROM dup_pairs")
            counts["pairs"] = cursor.fetchone()[0]
            counts["buckets"] = buckets
            counts["pairs_seconds"] = round(time.monotonic() - started, 1)
            cursor.execute(_SCORE_SQL, [CANDIDATE_SCORE])
            total = max(cursor.rowcount, 0)
            cursor.execute("CREATE UNIQUE INDEX ON dup_scored (rn)")  # each batch reads the next rows by rn
            counts["scoring_seconds"] = round(time.monotonic() - started - counts["pairs_seconds"], 1)
            done, said = 0, {}
            while True:
                cursor.execute(
                    "SELECT a, b, score, name_points, same_ids, birth_gap, same_nat, same_place FROM dup_scored "
                    "WHERE rn > %s ORDER BY rn LIMIT %s",
                    [done, batch_size],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                _queue(rows, said)
                done += len(rows)
                counts["queued"] += len(rows)
                if progress:
                    progress(done, total, counts["queued"])
            counts["queueing_seconds"] = (
                round(time.monotonic() - started, 1) - counts["pairs_seconds"] - counts["scoring_seconds"]
            )
        finally:
            cursor.execute(
                "DROP TABLE IF EXISTS dup_keys; DROP TABLE IF EXISTS dup_pair_parts; DROP TABLE IF EXISTS dup_pairs;"
                " DROP TABLE IF EXISTS dup_scored; DROP TABLE IF EXISTS dup_batch"
            )
            cursor.execute("SET work_mem = %s", [work_mem])
    return counts


def _names_of(ids: set[int]) -> dict[int, list[str]]:
    """Each person's names, in the order ``Draft.of`` lists them."""
    names = {pk: [d, o] for pk, d, o in Person._base_manager.filter(pk__in=ids).values_list("pk", "display_name",
                                                                                           "name_original")}  # fmt: skip
    for person_id, name in (
        PersonName.objects.filter(person_id__in=ids)
        .order_by("person_id", "kind", "name")
        .values_list("person_id", "name")
    ):
        names.setdefault(person_id, []).append(name)
    return {pk: [n for n in found if n] for pk, found in names.items()}


#: The name reason of two lists of names, worded once a pass (names repeat: "Kim Chol Su" is many people).
NAME_REASONS_KEPT = 200_000


def _reasons(row, names: dict[int, list[str]], said: dict | None = None) -> list[str]:
    a, b, _score, name_points, same_ids, birth_gap, same_nat, same_place = row
    reasons = []
    if name_points:
        pair = (tuple(names.get(a, ())), tuple(names.get(b, ())))
        reason = said.get(pair, False) if said is not None else False
        if reason is False:
            _points, reason = _name_reason(Draft(names=list(pair[0])), list(pair[1]))
            if said is not None:
                if len(said) >= NAME_REASONS_KEPT:
                    said.clear()
                said[pair] = reason
        reasons += [reason] if reason else []
    # Stored as codes (people.reasons), written in each reader's language when shown.
    reasons += [codes.identifier(kind) for kind in same_ids]
    if birth_gap is not None:
        reasons.append(codes.birth_gap(birth_gap))
    if same_nat is not None:
        reasons.append(codes.NATIONALITY_SAME if same_nat else codes.NATIONALITY_DIFFERENT)
    if same_place:
        reasons.append(codes.PLACE_SAME)
    return reasons


def _queue(rows, said: dict | None = None) -> None:
    """Word the batch's pairs and upsert them into the queue: COPY into a temporary table,
    then one INSERT ... ON CONFLICT (a judged pair keeps its judgement, takes the new score)."""
    names = _names_of({pk for row in rows for pk in row[:2]})
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS dup_batch (a bigint, b bigint, score smallint, reasons jsonb) "
            "ON COMMIT DELETE ROWS"
        )
        with cursor.copy("COPY dup_batch (a, b, score, reasons) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((row[0], row[1], min(row[2], 32767), json.dumps(_reasons(row, names, said))))
        cursor.execute(
            "INSERT INTO people_duplicatepair (person_a_id, person_b_id, score, reasons, status, found_at) "
            "SELECT a, b, score, reasons, %s, now() FROM dup_batch "
            "ON CONFLICT (person_a_id, person_b_id) DO UPDATE SET score = EXCLUDED.score, reasons = EXCLUDED.reasons",
            [PairStatus.OPEN],
        )
