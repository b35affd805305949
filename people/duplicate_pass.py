# ruff: noqa: S608  (constants and numbers only: no value from outside reaches this SQL)
"""The full duplicate pass, in SQL: every pair of people sharing a stored key, at scale.

Set-based statements do the work, index-driven: no pair is looked at unless the
two share a stored whole-name key (the ``name_keys`` of people and of their other
names: every script and romanization, people/names.py) or an identifier value.

1. People with the same names and keys (the same name spelled the same ways:
   "Kim Chol Su" is hundreds of people) share a *signature*; keys are grouped by
   signature, so a common name is one row, not hundreds.
2. Signature pairs: two signatures sharing a key. A key shared by up to
   ``VIGIL_DUPLICATE_KEY_CAP`` people pairs them all. A commoner key (a common
   name, a sound-alike of one) is no evidence alone, and neither is the birth
   year all of a year's namesakes share: it pairs only those born the same day,
   or those born the same year who are both held somewhere (queued only if in
   the same place), and none at all when even a year holds more than the cap
   ("Kim"): pairs grow with the square of a group. This is made a signature and
   a day at a time, so a common name's block of a year is never paired whole.
3. People pairs, made from the signature pairs (a person has one signature, so
   each pair is made once), each with its birth and nationality evidence and its
   name's points (the strongest kind of key the two share). A pair the birth
   dates rule out (known to the day and different, or years apart) is not made:
   without a shared identifier it cannot reach ``CANDIDATE_SCORE`` (the check is
   the points' arithmetic, ``_ruled_out_bound``), and a shared identifier pairs
   the two anyway (people sharing an identifier value are paired alike).
4. One statement scores every pair as ``people.duplicates.score`` does, with the
   same points (``people.duplicates.POINTS``), column against column: identifiers,
   the same place of detention; only the pairs worth a review are kept.
5. The name reason (which scripts the names matched in) is worded in Python once
   per signature pair, as the one-by-one check words it; every other reason is
   a code written in SQL (people/reasons.py).
6. The queue is filled by ``INSERT ... SELECT ... ON CONFLICT``, a chunk of pairs
   at a time (its progress reported between chunks): a pair judged "not the same
   person" (or merged) keeps its judgement and takes the new score; an open pair
   this pass no longer finds worth a review leaves the queue.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection

from people import reasons as codes
from people.duplicates import CANDIDATE_SCORE, POINTS, Draft, _name_reason
from people.models import PairStatus

#: Memory for each sort and hash of the pass's statements (its own session).
SORT_MEMORY = "64MB"
#: Pairs written to the queue by one statement (progress is reported between them).
QUEUE_CHUNK = 250_000
#: Signature pairs whose name reason is worded in one go.
NAME_BATCH = 20_000
_TABLES = (
    "dup_people, dup_sigs, dup_sig_years, dup_sig_days, dup_sig_placed, dup_sig_keys, dup_sig_kinds, dup_sig_pairs,"
    " dup_ids, dup_id_pairs, dup_pairs, dup_scored, dup_name_pairs, dup_name_reasons"
)

#: Every live person: birth, nationality, and a signature of their names and stored keys
#: (statements without parameters, run as one).
_PEOPLE_SQL = """
CREATE TEMP TABLE dup_people AS
SELECT p.id, p.birth_date AS born, p.birth_date_precision = 'day' AS to_day,
    extract(year FROM p.birth_date)::int AS year, p.nationality::text AS nationality,
    p.id IN (SELECT person_id FROM people_detention WHERE facility <> '') AS placed,
    md5(ARRAY[p.display_name, p.name_original, p.name_keys::text, n.names, n.keys]::text)::uuid AS sig
FROM people_person p LEFT JOIN (
    SELECT person_id, array_agg(name ORDER BY kind, name)::text AS names,
        array_agg(name_keys::text ORDER BY kind, name)::text AS keys
    FROM people_personname GROUP BY person_id
) n ON n.person_id = p.id
WHERE p.deleted_at IS NULL;
CREATE TEMP TABLE dup_sigs AS SELECT sig, min(id) AS rep, count(*) AS n FROM dup_people GROUP BY sig;
CREATE TEMP TABLE dup_sig_years AS
SELECT sig, year, count(*) AS n FROM dup_people WHERE year IS NOT NULL GROUP BY sig, year;
CREATE TEMP TABLE dup_sig_days AS
SELECT sig, born, year, count(*) AS n FROM dup_people WHERE to_day AND born IS NOT NULL GROUP BY sig, born, year;
CREATE TEMP TABLE dup_sig_placed AS
SELECT sig, year, count(*) AS n FROM dup_people WHERE placed AND year IS NOT NULL GROUP BY sig, year;
CREATE TEMP TABLE dup_sig_keys AS  -- whole-name keys (x:, k:, m:), never the per-word t:
SELECT s.sig, k.key::text FROM dup_sigs s JOIN people_person p ON p.id = s.rep, unnest(p.name_keys) k(key)
WHERE k.key NOT LIKE 't:%'
UNION
SELECT s.sig, k.key FROM dup_sigs s JOIN people_personname n ON n.person_id = s.rep, unnest(n.name_keys) k(key)
WHERE k.key NOT LIKE 't:%';
CREATE TEMP TABLE dup_sig_kinds AS
SELECT sig, array_agg(key) FILTER (WHERE key LIKE 'x:%') AS xs, array_agg(key) FILTER (WHERE key LIKE 'k:%') AS ks,
    array_agg(key) FILTER (WHERE key LIKE 'm:%') AS ms
FROM dup_sig_keys GROUP BY sig;
CREATE TEMP TABLE dup_ids AS
SELECT i.id, i.person_id, i.kind::text, lower(btrim(i.value)) AS value, d.year
FROM people_personidentifier i JOIN dup_people d ON d.id = i.person_id;
"""

#: The strongest kind of name key two signatures share, in points.
_NAME_POINTS = """CASE WHEN {a}.xs && {b}.xs THEN %(name:exact)s WHEN {a}.ks && {b}.ks THEN %(name:key)s
    WHEN {a}.ms && {b}.ms THEN %(name:sound)s ELSE 0 END"""

#: Signature pairs sharing a key, and how their people pair: everyone (``born`` and ``year``
#: null), or through a key only common enough to pair by year, those born that day, or those
#: held somewhere born that year.
_SIG_PAIRS_SQL = """
CREATE TEMP TABLE dup_sig_pairs AS
WITH key_people AS (
    SELECT k.key, sum(s.n) AS n FROM dup_sig_keys k JOIN dup_sigs s USING (sig) GROUP BY k.key
), everyone AS MATERIALIZED (  -- a key few enough people share pairs them all
    SELECT DISTINCT k1.sig AS sa, k2.sig AS sb
    FROM key_people c JOIN dup_sig_keys k1 USING (key) JOIN dup_sig_keys k2 USING (key) JOIN dup_sigs s ON s.sig = k1.sig
    WHERE c.n BETWEEN 2 AND %(cap)s AND (k2.sig > k1.sig OR k2.sig = k1.sig AND s.n > 1)
), key_years AS MATERIALIZED (  -- a commoner key: a year of it, when that year holds few enough
    SELECT k.key, y.year FROM key_people c JOIN dup_sig_keys k USING (key) JOIN dup_sig_years y USING (sig)
    WHERE c.n > %(cap)s GROUP BY k.key, y.year HAVING sum(y.n) BETWEEN 2 AND %(cap)s
), day_keys AS MATERIALIZED (
    SELECT k.key, d.sig, d.born, d.n FROM dup_sig_days d JOIN dup_sig_keys k USING (sig)
    JOIN key_years ky ON ky.key = k.key AND ky.year = d.year
), same_day AS (
    SELECT DISTINCT d1.sig AS sa, d2.sig AS sb, d1.born
    FROM day_keys d1 JOIN day_keys d2 ON d2.key = d1.key AND d2.born = d1.born
        AND (d2.sig > d1.sig OR d2.sig = d1.sig AND d1.n > 1)  -- a signature with itself: two people or more
), placed_keys AS MATERIALIZED (
    SELECT k.key, y.sig, y.year, y.n FROM dup_sig_placed y JOIN dup_sig_keys k USING (sig)
    JOIN key_years ky ON ky.key = k.key AND ky.year = y.year
), placed_year AS (
    SELECT DISTINCT p1.sig AS sa, p2.sig AS sb, p1.year
    FROM placed_keys p1 JOIN placed_keys p2 ON p2.key = p1.key AND p2.year = p1.year
        AND (p2.sig > p1.sig OR p2.sig = p1.sig AND p1.n > 1)
)
SELECT sa, sb, NULL::date AS born, NULL::int AS year FROM everyone
UNION ALL
SELECT sa, sb, born, NULL FROM same_day d WHERE NOT EXISTS (SELECT 1 FROM everyone e WHERE e.sa = d.sa AND e.sb = d.sb)
UNION ALL
SELECT sa, sb, NULL, year FROM placed_year y WHERE NOT EXISTS (SELECT 1 FROM everyone e WHERE e.sa = y.sa AND e.sb = y.sb)
"""

#: A pair's columns from its two people ``p`` and ``q`` (any order): the lower id first.
_PAIR_COLUMNS = """least(p.id, q.id) AS a, greatest(p.id, q.id) AS b,
    CASE WHEN p.id < q.id THEN p.sig ELSE q.sig END AS sig_a, CASE WHEN p.id < q.id THEN q.sig ELSE p.sig END AS sig_b,
    CASE
        WHEN p.born IS NULL OR q.born IS NULL THEN NULL
        WHEN p.to_day AND q.to_day AND p.born = q.born THEN 'born:day'
        WHEN p.to_day AND q.to_day AND abs(p.year - q.year) <= 1 THEN 'born:other-day'
        WHEN p.year = q.year THEN 'born:year'
        WHEN abs(p.year - q.year) = 1 THEN 'born:near'
        ELSE 'born:apart:' || abs(p.year - q.year)
    END AS born,
    CASE WHEN p.nationality <> '' AND q.nationality <> '' THEN
        CASE WHEN p.nationality = q.nationality THEN 'nationality:same' ELSE 'nationality:different' END
    END AS nationality"""

#: The points of a pair's birth and nationality codes.
_BIRTH_POINTS = """(CASE {born} WHEN 'born:day' THEN %(born:day)s WHEN 'born:year' THEN %(born:year)s
    WHEN 'born:near' THEN %(born:near)s WHEN 'born:other-day' THEN %(born:other-day)s
    ELSE CASE WHEN {born} IS NULL THEN 0 ELSE %(born:apart)s END END)"""
_NATIONALITY_POINTS = """(CASE {nationality} WHEN 'nationality:same' THEN %(nationality:same)s
    WHEN 'nationality:different' THEN %(nationality:different)s ELSE 0 END)"""

#: Pairs sharing an identifier value (a value too common pairs only those born the same year).
_ID_PAIRS_SQL = """
CREATE TEMP TABLE dup_id_pairs AS
WITH whole AS (
    SELECT DISTINCT person_id, kind, value, year FROM dup_ids
), counted AS (
    SELECT *, count(*) OVER (PARTITION BY kind, value) AS n FROM whole
), groups AS (
    SELECT array_agg(person_id) AS ids FROM counted WHERE n BETWEEN 2 AND %(cap)s GROUP BY kind, value
    UNION ALL
    SELECT array_agg(person_id) FROM counted WHERE n > %(cap)s AND year IS NOT NULL
    GROUP BY kind, value, year HAVING count(*) BETWEEN 2 AND %(cap)s
)
SELECT DISTINCT a, b FROM groups, unnest(ids) a, unnest(ids) b WHERE a < b
"""


def _name_pairs_sql(cap_score: int) -> tuple[str, str]:
    """The pairs of each signature pair's people, less those the birth dates rule out and those an
    identifier pairs (added by the second statement, scored alike)."""
    kept = (
        "(sp.sa <> sp.sb OR p.id < q.id) AND NOT EXISTS (SELECT 1 FROM dup_id_pairs i"
        " WHERE i.a = least(p.id, q.id) AND i.b = greatest(p.id, q.id))"
    )
    pair = f"SELECT {_PAIR_COLUMNS}, {{blocked}} AS blocked FROM dup_sig_pairs sp JOIN dup_people p ON p.sig = sp.sa"
    name_points = _NAME_POINTS.format(a="ka", b="kb")
    return (
        f"""
CREATE TEMP TABLE dup_pairs AS SELECT made.*, {name_points} AS name_points FROM (
    {pair.format(blocked="false")} JOIN dup_people q ON q.sig = sp.sb
    WHERE sp.born IS NULL AND sp.year IS NULL AND {kept}
    UNION ALL  -- born the same day
    {pair.format(blocked="true")} AND p.born = sp.born AND p.to_day
    JOIN dup_people q ON q.sig = sp.sb AND q.born = sp.born AND q.to_day
    WHERE sp.born IS NOT NULL AND {kept}
    UNION ALL  -- both held somewhere, born the same year
    {pair.format(blocked="true")} AND p.year = sp.year AND p.placed
    JOIN dup_people q ON q.sig = sp.sb AND q.year = sp.year AND q.placed
    WHERE sp.year IS NOT NULL AND NOT (p.to_day AND q.to_day AND p.born = q.born) AND {kept}
) made JOIN dup_sig_kinds ka ON ka.sig = made.sig_a JOIN dup_sig_kinds kb ON kb.sig = made.sig_b
WHERE {name_points} + {_BIRTH_POINTS.format(born="made.born")}
    + {_NATIONALITY_POINTS.format(nationality="made.nationality")} + %(place:same)s >= {cap_score}
""",
        f"""
INSERT INTO dup_pairs
SELECT {_PAIR_COLUMNS}, false, {_NAME_POINTS.format(a="ka", b="kb")}
FROM dup_id_pairs i JOIN dup_people p ON p.id = i.a JOIN dup_people q ON q.id = i.b
JOIN dup_sig_kinds ka ON ka.sig = p.sig JOIN dup_sig_kinds kb ON kb.sig = q.sig
""",
    )


#: Every pair scored as ``score`` does; those worth a review kept, numbered for the queue's chunks.
_SCORE_SQL = f"""
CREATE TEMP TABLE dup_scored AS
WITH shared AS (  -- the first person's identifiers the other holds, in the first person's order
    SELECT pr.a, pr.b, array_agg('id:' || ia.kind ORDER BY ia.kind, ia.id) AS ids
    FROM dup_pairs pr JOIN dup_ids ia ON ia.person_id = pr.a
    WHERE EXISTS (SELECT 1 FROM dup_ids ib WHERE ib.person_id = pr.b AND ib.kind = ia.kind AND ib.value = ia.value)
    GROUP BY pr.a, pr.b
), places AS (
    SELECT DISTINCT d.person_id, lower(btrim(d.facility)) AS place
    FROM people_detention d JOIN dup_people p ON p.id = d.person_id WHERE d.facility <> ''
), placed AS (
    SELECT DISTINCT pr.a, pr.b FROM dup_pairs pr
    JOIN places la ON la.person_id = pr.a JOIN places lb ON lb.person_id = pr.b AND lb.place = la.place
), scored AS (
    SELECT pr.*, coalesce(s.ids, '{{}}') AS ids, pl.a IS NOT NULL AS same_place, greatest(0,
        pr.name_points + %(identifier)s * coalesce(cardinality(s.ids), 0)
        + {_BIRTH_POINTS.format(born="pr.born")} + {_NATIONALITY_POINTS.format(nationality="pr.nationality")}
        + CASE WHEN pl.a IS NOT NULL THEN %(place:same)s ELSE 0 END
    ) AS score
    FROM dup_pairs pr LEFT JOIN shared s USING (a, b) LEFT JOIN placed pl USING (a, b)
)
SELECT row_number() OVER (ORDER BY a, b) AS rn, * FROM scored
WHERE score >= %(candidate)s AND (NOT blocked OR born = 'born:day' OR same_place)
"""

#: A chunk of the scored pairs into the queue: reasons as codes, judged pairs keep their judgement.
_QUEUE_SQL = """
INSERT INTO people_duplicatepair (person_a_id, person_b_id, score, reasons, status, found_at)
SELECT s.a, s.b, least(s.score, 32767),
    to_jsonb(array_remove(ARRAY[r.code] || s.ids || ARRAY[s.born, s.nationality,
        CASE WHEN s.same_place THEN %(place)s END], NULL)),
    %(open)s, now()
FROM dup_scored s LEFT JOIN dup_name_reasons r ON r.sig_a = s.sig_a AND r.sig_b = s.sig_b
WHERE s.rn > %(after)s AND s.rn <= %(until)s
ON CONFLICT (person_a_id, person_b_id) DO UPDATE SET score = EXCLUDED.score, reasons = EXCLUDED.reasons
"""


def _ruled_out_bound() -> bool:
    """The pruning of step 3 holds while the best a pair without a shared identifier can score,
    with birth dates known to the day and different, stays below ``CANDIDATE_SCORE``."""
    best = POINTS["name:exact"] + POINTS["nationality:same"] + POINTS["place:same"]
    return best + max(POINTS["born:other-day"], POINTS["born:apart"]) < CANDIDATE_SCORE


def duplicate_pass(*, group_cap: int | None = None, progress: Callable[[int, int, int], None] | None = None) -> dict:
    """Score every candidate pair in SQL and keep those worth reviewing in the queue.
    ``progress(pairs scored, pairs, pairs queued)`` after each step of the queueing."""
    cap = group_cap or settings.VIGIL_DUPLICATE_KEY_CAP
    counts: dict = {"pairs": 0, "queued": 0, "seconds": {}}
    points = {**POINTS, "cap": cap, "candidate": CANDIDATE_SCORE}
    clock = [time.monotonic()]

    def lap(step: str) -> None:
        now = time.monotonic()
        counts["seconds"][step] = round(now - clock[0], 1)
        clock[0] = now

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_TABLES}")
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        try:
            cursor.execute("SET work_mem = %s", [SORT_MEMORY])
            cursor.execute(_PEOPLE_SQL)
            for table in (
                "dup_people",
                "dup_sigs",
                "dup_sig_years",
                "dup_sig_days",
                "dup_sig_keys",
                "dup_sig_kinds",
                "dup_ids",
            ):
                cursor.execute(f"ANALYZE {table}")
            cursor.execute("SELECT count(*), (SELECT count(*) FROM dup_sigs) FROM dup_people")
            counts["people"], counts["signatures"] = cursor.fetchone()
            lap("people")
            cursor.execute(_SIG_PAIRS_SQL, points)
            cursor.execute("SELECT count(*) FROM dup_sig_pairs")
            counts["signature_pairs"] = cursor.fetchone()[0]
            cursor.execute(_ID_PAIRS_SQL, points)
            cursor.execute("ANALYZE dup_sig_pairs; ANALYZE dup_id_pairs")
            for statement in _name_pairs_sql(CANDIDATE_SCORE if _ruled_out_bound() else -1_000):
                cursor.execute(statement, points)
            cursor.execute("SELECT count(*) FROM dup_pairs")
            counts["pairs"] = cursor.fetchone()[0]
            lap("pairs")
            cursor.execute("ANALYZE dup_pairs")
            cursor.execute(_SCORE_SQL, points)
            worth = max(cursor.rowcount, 0)
            counts["worth_a_review"] = worth
            lap("scoring")
            if progress:
                progress(counts["pairs"], counts["pairs"], 0)
            counts["name_reasons"] = _word_names(cursor)
            lap("name_reasons")
            cursor.execute("CREATE UNIQUE INDEX ON dup_scored (rn)")
            for after in range(0, worth, QUEUE_CHUNK):
                values = {"after": after, "until": after + QUEUE_CHUNK, "place": codes.PLACE_SAME}
                cursor.execute(_QUEUE_SQL, {**values, "open": PairStatus.OPEN})
                counts["queued"] += max(cursor.rowcount, 0)
                if progress:
                    progress(counts["pairs"], counts["pairs"], counts["queued"])
            cursor.execute(
                "DELETE FROM people_duplicatepair d WHERE d.status = %s AND NOT EXISTS"
                " (SELECT 1 FROM dup_scored s WHERE s.a = d.person_a_id AND s.b = d.person_b_id)",
                [PairStatus.OPEN],
            )
            counts["left_the_queue"] = max(cursor.rowcount, 0)
            lap("queueing")
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {_TABLES}")
            cursor.execute("SET work_mem = %s", [work_mem])
    return counts


def _word_names(cursor) -> int:
    """Word the name reason of each signature pair of the pairs worth a review, as the one-by-one
    check does (its first best-matching names' scripts), into ``dup_name_reasons``."""
    cursor.execute(
        "CREATE TEMP TABLE dup_name_pairs AS SELECT row_number() OVER () AS rn, sig_a, sig_b FROM"
        " (SELECT DISTINCT sig_a, sig_b FROM dup_scored WHERE name_points > 0) d;"
        "CREATE TEMP TABLE dup_name_reasons (sig_a uuid, sig_b uuid, code text)"
    )
    cursor.execute("SELECT count(*) FROM dup_name_pairs")
    total = cursor.fetchone()[0]
    # Each signature's names in the order Draft.of lists them (display, original, others by kind and name).
    names = """(SELECT array_remove(ARRAY[p.display_name, p.name_original]::text[] || coalesce((
        SELECT array_agg(n.name::text ORDER BY n.kind, n.name) FROM people_personname n WHERE n.person_id = p.id
    ), '{}'), '') FROM dup_sigs s JOIN people_person p ON p.id = s.rep WHERE s.sig = np.%s)"""
    for after in range(0, total, NAME_BATCH):
        cursor.execute(
            f"SELECT sig_a, sig_b, {names % 'sig_a'}, {names % 'sig_b'} FROM dup_name_pairs np"
            " WHERE rn > %s AND rn <= %s",
            [after, after + NAME_BATCH],
        )
        rows = cursor.fetchall()
        with cursor.copy("COPY dup_name_reasons (sig_a, sig_b, code) FROM STDIN") as copy:
            for sig_a, sig_b, names_a, names_b in rows:
                copy.write_row((sig_a, sig_b, _name_reason(Draft(names=list(names_a)), list(names_b))[1]))
    cursor.execute("ANALYZE dup_name_reasons")
    return total
