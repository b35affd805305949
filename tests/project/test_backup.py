"""make backup / make restore: a round trip gives back the same data."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

# A checksum of the demo case: its people, requests, updates, positions and events, in a stable order.
SEED_CHECKSUM = """
SELECT md5(string_agg(row, '|' ORDER BY row)) FROM (
    SELECT 'case:' || reference || title || status FROM casework_case
    UNION ALL SELECT 'person:' || display_name || name_original || status FROM people_person
    UNION ALL SELECT 'name:' || name FROM people_personname
    UNION ALL SELECT 'request:' || summary || category || status FROM casework_statedrequest
    UNION ALL SELECT 'update:' || previous_status || status || note FROM casework_requestupdate
    UNION ALL SELECT 'position:' || stance || condition FROM casework_positionstatement
    UNION ALL SELECT 'event:' || title || coalesce(occurred_on::text, '?') || occurred_on_precision FROM events_event
) AS facts(row)
"""
COUNTS = [
    "casework_case",
    "people_person",
    "people_personname",
    "casework_statedrequest",
    "events_event",
    "events_source",
]


def _url(name):
    settings = connection.settings_dict
    host = settings["HOST"].replace("/", "%2F")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{settings['USER']}@{host}{port}/{name}"


def _facts(cursor):
    cursor.execute(SEED_CHECKSUM)
    checksum = cursor.fetchone()[0]
    counts = {}
    for table in COUNTS:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - table names are ours
        counts[table] = cursor.fetchone()[0]
    return checksum, counts


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_the_same_data(tmp_path):
    call_command("load_demo")
    with connection.cursor() as cursor:
        original = _facts(cursor)
    dump = tmp_path / "vigil.dump"
    env = {"PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "scripts/backup.py", "backup", str(dump)],
        cwd=ROOT,
        check=True,
        env={**env, "DATABASE_URL": _url(connection.settings_dict["NAME"])},
    )
    assert dump.stat().st_size > 0

    restored = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        # Creating and dropping a database waits for a checkpoint: on a busy server that can
        # pass the application's statement timeout (DATABASE_STATEMENT_TIMEOUT).
        cursor.execute("SET statement_timeout = 0")
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        result = subprocess.run(
            [sys.executable, "scripts/backup.py", "restore", str(dump)],
            cwd=ROOT,
            env={**env, "DATABASE_URL": _url(restored)},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        import psycopg2

        settings = connection.settings_dict
        with (
            psycopg2.connect(
                dbname=restored, user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or None
            ) as other,
            other.cursor() as cursor,
        ):
            assert _facts(cursor) == original
        again = subprocess.run(
            [sys.executable, "scripts/backup.py", "restore", str(dump)],
            cwd=ROOT,
            env={**env, "DATABASE_URL": _url(restored)},
            capture_output=True,
            text=True,
        )
        assert again.returncode != 0
        assert "not empty" in again.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
            cursor.execute("RESET statement_timeout")
