"""Many people at once, for timing the duplicate pass at scale (``bench/imports.py --generate-people N``).

Run inside Django (``manage.py shell``). The names come from the generator's
vocabulary (events/generate/vocabulary.py): 3,672 Korean names, each in Hangul,
North and South Korean romanization and Cyrillic, and 320 others in Latin, alias
and Cyrillic forms; their keys (people/names.py) are computed once per spelling
in Python, and everything else is made by PostgreSQL from ``generate_series``:
birth dates over 1950-2006 (a fifth known to the year only, a tenth unknown), an
ICRC number for two people in five, and a second record of an earlier person
for one in thirty (the same name and birth, sharing the ICRC number one time in
three): the pairs the pass is there to find. Each name is shared by about 300
people, as the few Korean surnames are in life, so the pass's cap on common keys
does its work.

Triggers are off while loading (no history, no search rows, no counters: this is
a throwaway database for timing) and the name-key indexes are rebuilt afterwards.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from events.generate.vocabulary import CYRILLIC, FAMILY, GIVEN, SURNAMES, SYLLABLES
from people.models import Person, PersonIdentifier, PersonName
from people.names import name_keys

TWIN_EVERY = 30  # one person in this many is a second record of an earlier one


def _pool() -> tuple[list[tuple], list[tuple]]:
    """(n, display, original, nationality, keys) and (n, name, kind, language, keys) for each name."""
    people, names = [], []
    for surname in SURNAMES:
        for first in SYLLABLES:
            for second in SYLLABLES:
                if first is second:
                    continue
                hangul = surname[0] + first[0] + second[0]
                north = f"{surname[1]} {first[1]} {second[1]}"
                south = f"{surname[2]} {first[2]}-{second[2].lower()}"
                cyrillic = f"{surname[3]} {first[3]} {second[3]}"
                n = len(people)
                people.append((n, north, hangul, "KP", name_keys(north, hangul)))
                names += [(n, south, "transliteration", "ko-Latn", name_keys(south)),
                          (n, cyrillic, "transliteration", "ru-Cyrl", name_keys(cyrillic))]  # fmt: skip
    for given in GIVEN:
        for family in FAMILY:
            latin = f"{given} {family}"
            n = len(people)
            people.append((n, latin, "", "UA", name_keys(latin)))
            names += [(n, f"{family}, {given}", "alias", "en", name_keys(f"{family}, {given}")),
                      (n, latin.translate(CYRILLIC), "transliteration", "ru-Cyrl", name_keys(latin.translate(CYRILLIC)))]  # fmt: skip
    return people, names


def _copy(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert(cursor, model, values: dict[str, str], source: str) -> int:
    """INSERT INTO the model's table SELECT ``values`` (column → SQL) FROM ``source``, the
    other columns given their model defaults."""
    columns, select, params = [], [], []
    for field in model._meta.concrete_fields:
        if getattr(field, "generated", False):
            continue
        if field.column in values:
            expression = values[field.column]
        elif field.primary_key:  # the table's identity gives it
            continue
        elif field.column in ("created_at", "updated_at"):
            expression = "now()"
        elif field.has_default():
            expression, params = "%s", [*params, field.get_default()]
        elif field.null:
            continue
        else:
            expression = "''"
        columns.append(f'"{field.column}"')
        select.append(expression)
    cursor.execute(
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) SELECT {", ".join(select)} FROM {source}',
        params,
    )
    return cursor.rowcount


def generate(people: int) -> dict:
    """Add ``people`` people (with their names and identifiers); what it made, and how long it took."""
    started = time.monotonic()
    pool, pool_names = _pool()
    counts = {"names_in_pool": len(pool)}
    tables = [Person, PersonName, PersonIdentifier]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM people_person")
        base = cursor.fetchone()[0]
        cursor.execute(
            "CREATE TEMP TABLE bench_pool (n int PRIMARY KEY, display text, original text, nationality text,"
            " keys varchar(200)[]) ON COMMIT DROP;"
            "CREATE TEMP TABLE bench_pool_names (n int, name text, kind text, language text, keys varchar(200)[])"
            " ON COMMIT DROP"
        )
        _copy(cursor, "bench_pool", "n, display, original, nationality, keys", pool)
        _copy(cursor, "bench_pool_names", "n, name, kind, language, keys", pool_names)
        cursor.execute("CREATE INDEX ON bench_pool_names (n)")
        # Who each new person is: themselves, or (one in TWIN_EVERY) an earlier person again, drawn
        # by a hash of their number (never another second record: those have no record of their own).
        cursor.execute(
            "CREATE TEMP TABLE bench_people ON COMMIT DROP AS "
            "SELECT id, CASE WHEN g %% %(every)s = 0 THEN w - (w %% %(every)s = 0)::int ELSE g END AS who FROM ("
            " SELECT %(base)s + g AS id, g,"
            " CASE WHEN g %% %(every)s = 0 THEN 1 + abs(hashint4(g)::bigint) %% (g - 1) END AS w"
            " FROM generate_series(1, %(people)s) g) drawn",
            {"base": base, "every": TWIN_EVERY, "people": people},
        )
        cursor.execute(
            "ALTER TABLE bench_people ADD COLUMN n int, ADD COLUMN born date, ADD COLUMN precision text;"
            "UPDATE bench_people SET n = (who::bigint * 2654435761) %% %s,"
            " born = CASE WHEN who %% 10 = 1 THEN NULL WHEN who %% 5 = 0"
            "  THEN make_date(1950 + ((who::bigint * 40503) %% 57)::int, 1, 1)"
            "  ELSE date '1950-01-01' + ((who::bigint * 40503) %% 20800)::int END,"
            " precision = CASE WHEN who %% 10 = 1 THEN 'unknown' WHEN who %% 5 = 0 THEN 'year' ELSE 'day' END",
            [len(pool)],
        )
        cursor.execute(
            "SELECT indexdef, indexname FROM pg_indexes WHERE tablename IN ('people_person', 'people_personname')"
            " AND indexdef LIKE '%%USING gin%%'"
        )
        gin = cursor.fetchall()
        for _definition, name in gin:
            cursor.execute(f'DROP INDEX "{name}"')
        for model in tables:
            cursor.execute(f'ALTER TABLE "{model._meta.db_table}" DISABLE TRIGGER ALL')
        counts["people"] = _insert(cursor, Person, {
            "id": "b.id", "name_keys": "p.keys", "display_name": "p.display", "name_original": "p.original",
            "nationality": "p.nationality", "birth_date": "b.born", "birth_date_precision": "b.precision",
            "status": "'in_detention'", "sex": "'male'",
        }, "bench_people b JOIN bench_pool p ON p.n = b.n")  # fmt: skip
        counts["names"] = _insert(cursor, PersonName, {
            "person_id": "b.id", "name": "m.name", "kind": "m.kind", "language": "m.language", "name_keys": "m.keys",
        }, "bench_people b JOIN bench_pool_names m ON m.n = b.n")  # fmt: skip
        counts["identifiers"] = _insert(cursor, PersonIdentifier, {
            "person_id": "b.id", "kind": "'icrc'", "value": "'ICRC-' || lpad(b.who::text, 8, '0')",
        }, f"bench_people b WHERE b.who %% 5 < 2 AND (b.who = b.id - {base} OR b.who %% 3 = 0)")  # fmt: skip
        for model in tables:
            cursor.execute(f'ALTER TABLE "{model._meta.db_table}" ENABLE TRIGGER ALL')
        for definition, _name in gin:
            cursor.execute(definition)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('people_person', 'id'), (SELECT max(id) FROM people_person))"
        )
    for model in tables:
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    counts["twins"] = people // TWIN_EVERY
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts
