# ruff: noqa: S608  (constants only: no value from outside reaches this SQL)
"""The SQL that keeps the home page's counts (casework/models/counts.py), for migration 0017.

Statement-level triggers with transition tables: a statement that writes a
thousand rows (a bulk import, the data generator, a queryset update) changes
each counter once, not a thousand times. What a request or a detainee counts
as is worked out again from the rows as they are after each statement
(``vigil_recount_requests``, ``vigil_recount_detainees``): doing it twice
changes nothing, so every change of an input only has to name whom it may
concern.

``vigil_recount_all()`` rebuilds everything from the tables (the migration
runs it once; ``manage.py recount_home`` runs it again if ever needed).
"""

from __future__ import annotations

from casework.models.choices import MINOR_CATEGORIES, SETTLED_REQUEST_STATUSES, RequestStatus


def _quoted(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


MINOR = _quoted(MINOR_CATEGORIES)
#: Neither settled nor already marked stalled: these stall by time, so they are counted by the day they last moved.
NOT_TIMED = _quoted((*SETTLED_REQUEST_STATUSES, RequestStatus.STALLED))

#: A request's count row: r (the request) joined to c (its case) and p (its person), none in the bin.
#: Open: its case is of normal confidentiality and its person is in a case of normal confidentiality
#: (the person is visible to everyone: casework.access.person_visibility reads cases in the bin too).
REQUEST_ROWS = f"""
SELECT r.id, r.case_id,
       EXISTS (SELECT 1 FROM casework_casesubject s WHERE s.person_id = r.person_id AND s.case_id = r.case_id),
       (c.confidentiality = 'normal' AND EXISTS (
           SELECT 1 FROM casework_casesubject s JOIN casework_case c2 ON c2.id = s.case_id
           WHERE s.person_id = r.person_id AND c2.confidentiality = 'normal')),
       r.status, r.category IN ({MINOR}),
       CASE WHEN r.status NOT IN ({NOT_TIMED}) AND r.category NOT IN ({MINOR}) THEN r.last_moved_on END
FROM casework_statedrequest r
JOIN casework_case c ON c.id = r.case_id AND c.deleted_at IS NULL
JOIN people_person p ON p.id = r.person_id AND p.deleted_at IS NULL
WHERE r.deleted_at IS NULL"""

#: A detainee's count row: a person (not in the bin) detained in at least one case not in the bin.
DETAINEE_ROWS = """
SELECT p.id, bool_or(c.confidentiality = 'normal'), p.status
FROM people_person p
JOIN casework_casesubject s ON s.person_id = p.id AND s.role = 'detainee'
JOIN casework_case c ON c.id = s.case_id AND c.deleted_at IS NULL
WHERE p.deleted_at IS NULL"""

#: The same rows for the requests ``ids`` and the people ``ids`` (the recounts after a write), in an
#: order the planner may not change: from the ids by their primary keys, each case and person read by
#: its key (scalar subqueries are not joined, an OFFSET 0 subquery is not pulled up). Left free, with the
#: statistics of a table an import is filling (none before its first ANALYZE), the planner took every
#: case's people and compared each with the ids: 0.6 s for 400 people among 7,000, growing with them.
REQUEST_ROWS_OF_IDS = f"""
SELECT r.id, r.case_id,
       EXISTS (SELECT 1 FROM casework_casesubject s WHERE s.person_id = r.person_id AND s.case_id = r.case_id),
       (c.confidentiality = 'normal' AND EXISTS (
           SELECT 1 FROM casework_casesubject s WHERE s.person_id = r.person_id
           AND (SELECT c2.confidentiality FROM casework_case c2 WHERE c2.id = s.case_id) = 'normal')),
       r.status, r.category IN ({MINOR}),
       CASE WHEN r.status NOT IN ({NOT_TIMED}) AND r.category NOT IN ({MINOR}) THEN r.last_moved_on END
FROM casework_statedrequest r
CROSS JOIN LATERAL (SELECT c.confidentiality FROM casework_case c
                    WHERE c.id = r.case_id AND c.deleted_at IS NULL OFFSET 0) c
WHERE r.id = ANY(ids) AND r.deleted_at IS NULL
  AND (SELECT p.deleted_at IS NULL FROM people_person p WHERE p.id = r.person_id)"""

DETAINEE_ROWS_OF_IDS = """
SELECT p.id, d.open, p.status
FROM people_person p
CROSS JOIN LATERAL (
    SELECT bool_or(k.confidentiality = 'normal') AS open
    FROM (SELECT (SELECT c.confidentiality FROM casework_case c WHERE c.id = s.case_id AND c.deleted_at IS NULL)
          FROM casework_casesubject s WHERE s.person_id = p.id AND s.role = 'detainee' OFFSET 0) AS k (confidentiality)
    WHERE k.confidentiality IS NOT NULL
) d
WHERE p.id = ANY(ids) AND p.deleted_at IS NULL AND d.open IS NOT NULL"""

UPSERT = """
INSERT INTO casework_homecount (figure, open, status, minor, moved_on, n)
SELECT figure, open, status, minor, moved_on, sum(d) FROM ({rows}) AS delta (figure, open, status, minor, moved_on, d)
GROUP BY figure, open, status, minor, moved_on HAVING sum(d) <> 0
ORDER BY figure, open, status, minor, moved_on
ON CONFLICT (figure, open, status, minor, moved_on) DO UPDATE SET n = casework_homecount.n + EXCLUDED.n"""


def _counter_function(name: str, rows: list[tuple[str, str]], where: str = "TRUE") -> str:
    """A statement trigger's function adding the new rows and taking away the old ones: each
    written row ``t`` counts once in each of ``rows`` (figure, columns: open, status, minor, moved_on)."""

    def side(table: str, sign: str) -> str:
        return " UNION ALL ".join(
            f"SELECT '{figure}', {columns}, {sign} FROM {table} t WHERE {where} AND {only}"
            for figure, columns, only in rows
        )

    plus, minus = side("new_rows", "1"), side("old_rows", "-1")
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('vigil.recounting', true) = 'on' THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' THEN
        {UPSERT.format(rows=plus)};
    ELSIF TG_OP = 'DELETE' THEN
        {UPSERT.format(rows=minus)};
    ELSE
        {UPSERT.format(rows=f"{plus} UNION ALL {minus}")};
    END IF;
    RETURN NULL;
END
$$;"""


#: What each counted request adds: its status (by supplies or not), and when it stalls by time, the day
#: and the month it last moved ("idle-day", "idle-mon": the stalled figure sums the months before the
#: cutoff's month, then that month's days before the cutoff: a few hundred rows whatever the caseload).
REQUEST_COUNTS = [
    ("request", "t.open, t.status, t.minor, NULL::date", "TRUE"),
    ("idle-day", "t.open, '', false, t.moved_on", "t.moved_on IS NOT NULL"),
    ("idle-mon", "t.open, '', false, date_trunc('month', t.moved_on)::date", "t.moved_on IS NOT NULL"),
]
CASE_COUNTS = [("case", "t.confidentiality = 'normal', t.status, false, NULL::date", "TRUE")]
DETAINEE_COUNTS = [("detainee", "t.open, t.status, false, NULL::date", "TRUE")]


def _rebuilt(table: str, rows: list[tuple[str, str, str]], where: str = "TRUE") -> str:
    return " UNION ALL ".join(
        f"SELECT '{figure}', {columns}, count(*) FROM {table} t WHERE {where} AND {only} GROUP BY 2, 3, 4, 5"
        for figure, columns, only in rows
    )


def _triggers(table: str, function: str, events=("INSERT", "UPDATE", "DELETE")) -> tuple[list[str], list[str]]:
    create, drop = [], []
    for event in events:
        tables = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows"}.get(
            event, "OLD TABLE AS old_rows NEW TABLE AS new_rows"
        )
        name = f"vigil_count_{event.lower()}"
        create.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
    return create, drop


#: Changed rows of an UPDATE: (o old, n new) joined on id.
CHANGED = "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {condition}"

#: The ids by their indexes (``*_ROWS_OF_IDS``), never a table read whole, whatever its statistics say.
BY_IDS = "SET enable_seqscan = off"

#: In PL/pgSQL, whose statements keep their plans for the session: a SQL-language function plans its
#: statements again at every call, some 20-40 ms for these (paid by every write to a counted table).
RECOUNTS = f"""
CREATE OR REPLACE FUNCTION vigil_recount_requests(ids bigint[]) RETURNS void LANGUAGE plpgsql {BY_IDS} AS $$
BEGIN
    DELETE FROM casework_countedrequest WHERE request_id = ANY(ids);
    INSERT INTO casework_countedrequest (request_id, case_id, subject, open, status, minor, moved_on)
    {REQUEST_ROWS_OF_IDS};
END
$$;

CREATE OR REPLACE FUNCTION vigil_recount_detainees(ids bigint[]) RETURNS void LANGUAGE plpgsql {BY_IDS} AS $$
BEGIN
    DELETE FROM casework_counteddetainee WHERE person_id = ANY(ids);
    INSERT INTO casework_counteddetainee (person_id, open, status)
    {DETAINEE_ROWS_OF_IDS};
END
$$;

-- The requests of these people: what they count as depends on the cases their person is in.
CREATE OR REPLACE FUNCTION vigil_recount_people(ids bigint[]) RETURNS void LANGUAGE plpgsql {BY_IDS} AS $$
BEGIN
    PERFORM vigil_recount_detainees(ids);
    PERFORM vigil_recount_requests(ARRAY(SELECT id FROM casework_statedrequest WHERE person_id = ANY(ids)));
END
$$;
"""

FUNCTIONS = f"""{RECOUNTS}

CREATE FUNCTION vigil_recount_all() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('vigil.recounting', 'on', true);
    DELETE FROM casework_homecount;
    DELETE FROM casework_countedrequest;
    DELETE FROM casework_counteddetainee;
    INSERT INTO casework_countedrequest (request_id, case_id, subject, open, status, minor, moved_on)
    {REQUEST_ROWS};
    INSERT INTO casework_counteddetainee (person_id, open, status) {DETAINEE_ROWS} GROUP BY p.id, p.status;
    INSERT INTO casework_homecount (figure, open, status, minor, moved_on, n)
    {_rebuilt("casework_case", CASE_COUNTS, "t.deleted_at IS NULL")}
    UNION ALL {_rebuilt("casework_countedrequest", REQUEST_COUNTS)}
    UNION ALL {_rebuilt("casework_counteddetainee", DETAINEE_COUNTS)};
    PERFORM set_config('vigil.recounting', 'off', true);
END
$$;

{_counter_function("vigil_count_cases", CASE_COUNTS, "t.deleted_at IS NULL")}
{_counter_function("vigil_count_requests", REQUEST_COUNTS)}
{_counter_function("vigil_count_detainees", DETAINEE_COUNTS)}

"""

#: Deferring the recounts to the end of a bulk write's chunk (an import, exchange/imports/commit.py):
#: ``vigil_counts_defer()`` makes the triggers below only note whom their writes concern, for the rest of
#: the transaction (or until ``vigil_counts_catch_up()``, which recounts them all once). A chunk writing
#: 500 rows in a dozen statements then recounts its people once, not after each statement.
DEFERRING = """
CREATE OR REPLACE FUNCTION vigil_counts_defer() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('pg_temp.vigil_counts_later') IS NULL THEN
        CREATE TEMP TABLE vigil_counts_later (person boolean NOT NULL, id bigint NOT NULL) ON COMMIT DELETE ROWS;
    END IF;
    PERFORM set_config('vigil.deferring_counts', 'on', true);
END
$$;

CREATE OR REPLACE FUNCTION vigil_counts_catch_up() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('vigil.deferring_counts', 'off', true);
    IF to_regclass('pg_temp.vigil_counts_later') IS NULL THEN RETURN; END IF;
    PERFORM vigil_recount_people(ARRAY(SELECT DISTINCT id FROM pg_temp.vigil_counts_later WHERE person));
    PERFORM vigil_recount_requests(ARRAY(SELECT DISTINCT id FROM pg_temp.vigil_counts_later WHERE NOT person));
    DELETE FROM pg_temp.vigil_counts_later;
END
$$;

CREATE OR REPLACE FUNCTION vigil_touch_people(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('vigil.deferring_counts', true) = 'on' THEN
        INSERT INTO pg_temp.vigil_counts_later (person, id) SELECT true, unnest(ids);
    ELSE
        PERFORM vigil_recount_people(ids);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION vigil_touch_requests(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('vigil.deferring_counts', true) = 'on' THEN
        INSERT INTO pg_temp.vigil_counts_later (person, id) SELECT false, unnest(ids);
    ELSE
        PERFORM vigil_recount_requests(ids);
    END IF;
END
$$;
"""

#: What a write to a case, a request, a person in a case or a person recounts (now, or at the catch-up).
CHANGE_FUNCTIONS = f"""
-- A case moved to or from the bin, or whose confidentiality changed: its requests and people.
CREATE OR REPLACE FUNCTION vigil_count_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cases bigint[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        cases := ARRAY({
    CHANGED.format(condition="n.confidentiality <> o.confidentiality OR n.deleted_at IS DISTINCT FROM o.deleted_at")
});
    ELSE
        cases := ARRAY(SELECT id FROM old_rows);
    END IF;
    IF cardinality(cases) > 0 THEN
        PERFORM vigil_touch_requests(ARRAY(SELECT id FROM casework_statedrequest WHERE case_id = ANY(cases)));
        PERFORM vigil_touch_people(ARRAY(SELECT person_id FROM casework_casesubject WHERE case_id = ANY(cases)));
    END IF;
    RETURN NULL;
END
$$;

-- A request written: what it counts as now.
CREATE OR REPLACE FUNCTION vigil_count_request_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM vigil_touch_requests(ARRAY(SELECT id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM vigil_touch_requests(ARRAY(SELECT id FROM old_rows));
    ELSE
        PERFORM vigil_touch_requests(ARRAY({
    CHANGED.format(
        condition="(n.status, n.category, n.last_moved_on, n.deleted_at, n.case_id, n.person_id) "
        "IS DISTINCT FROM (o.status, o.category, o.last_moved_on, o.deleted_at, o.case_id, o.person_id)"
    )
}));
    END IF;
    RETURN NULL;
END
$$;

-- A person in a case added, removed or changed: that person (and the one before, after an update).
CREATE OR REPLACE FUNCTION vigil_count_subject_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM vigil_touch_people(ARRAY(SELECT person_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM vigil_touch_people(ARRAY(SELECT person_id FROM old_rows));
    ELSE
        PERFORM vigil_touch_people(ARRAY(
            SELECT person_id FROM new_rows UNION SELECT person_id FROM old_rows));
    END IF;
    RETURN NULL;
END
$$;

-- A person's status changed, or the person moved to or from the bin (or deleted).
CREATE OR REPLACE FUNCTION vigil_count_person_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM vigil_touch_people(ARRAY(SELECT id FROM old_rows));
    ELSE
        PERFORM vigil_touch_people(ARRAY({
    CHANGED.format(condition="n.status <> o.status OR n.deleted_at IS DISTINCT FROM o.deleted_at")
}));
    END IF;
    RETURN NULL;
END
$$;
"""


def _all_triggers() -> tuple[str, str]:
    create, drop = [], []
    for table, function, events in (
        ("casework_case", "vigil_count_cases", ("INSERT", "UPDATE", "DELETE")),
        ("casework_countedrequest", "vigil_count_requests", ("INSERT", "UPDATE", "DELETE")),
        ("casework_counteddetainee", "vigil_count_detainees", ("INSERT", "UPDATE", "DELETE")),
        ("casework_statedrequest", "vigil_count_request_changed", ("INSERT", "UPDATE", "DELETE")),
        ("casework_casesubject", "vigil_count_subject_changed", ("INSERT", "UPDATE", "DELETE")),
        ("people_person", "vigil_count_person_changed", ("UPDATE", "DELETE")),
    ):
        made, dropped = _triggers(table, function, events)
        create += made
        drop += dropped
    # The case's second set (its requests and people), after its own counters.
    for event in ("UPDATE", "DELETE"):
        tables = "OLD TABLE AS old_rows NEW TABLE AS new_rows" if event == "UPDATE" else "OLD TABLE AS old_rows"
        create.append(
            f"CREATE TRIGGER vigil_count_z_{event.lower()} AFTER {event} ON casework_case REFERENCING {tables} "
            "FOR EACH STATEMENT EXECUTE FUNCTION vigil_count_case_changed();"
        )
        drop.append(f"DROP TRIGGER IF EXISTS vigil_count_z_{event.lower()} ON casework_case;")
    return "\n".join(create), "\n".join(drop)


TRIGGERS, DROP_TRIGGERS = _all_triggers()

#: The counters are a few hundred rows updated by every write: room on each page for the next version of
#: a row (fillfactor, so updates stay on the page) and a vacuum after every few hundred updates, not after
#: a fifth of the table, so a read never wades through dead versions.
STORAGE = (
    "ALTER TABLE casework_homecount SET "
    "(fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500);"
)

SQL = f"{FUNCTIONS}\n{DEFERRING}\n{CHANGE_FUNCTIONS}\n{TRIGGERS}\n{STORAGE}\nSELECT vigil_recount_all();"

REVERSE = f"""
ALTER TABLE casework_homecount RESET (fillfactor, autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold);
{DROP_TRIGGERS}
DROP FUNCTION vigil_count_person_changed();
DROP FUNCTION vigil_count_subject_changed();
DROP FUNCTION vigil_count_request_changed();
DROP FUNCTION vigil_count_case_changed();
DROP FUNCTION vigil_count_detainees();
DROP FUNCTION vigil_count_requests();
DROP FUNCTION vigil_count_cases();
DROP FUNCTION vigil_touch_people(bigint[]);
DROP FUNCTION vigil_touch_requests(bigint[]);
DROP FUNCTION vigil_counts_catch_up();
DROP FUNCTION vigil_counts_defer();
DROP FUNCTION vigil_recount_all();
DROP FUNCTION vigil_recount_people(bigint[]);
DROP FUNCTION vigil_recount_detainees(bigint[]);
DROP FUNCTION vigil_recount_requests(bigint[]);
"""
