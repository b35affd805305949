"""`make run`'s development server keeps no idle PostgreSQL connection (issue
10, finding 14): it served each browser connection (HTTP keep-alive) from a
thread of its own, and each thread kept its database connection for
DATABASE_CONN_MAX_AGE seconds, so a few tabs left dozens of idle connections.
`make run` now runs with DATABASE_CONN_MAX_AGE=0 unless told otherwise.

Measured here: the real development server (`manage.py runserver`, as `make
run` starts it, with the environment `make run` gives it) on the test
database, eight browser-like keep-alive connections each asking for a page
that queries the database, then the idle connections PostgreSQL counts.
"""

from __future__ import annotations

import http.client
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PORT = 8123
KEEP_ALIVE_CLIENTS = 8

spec = importlib.util.spec_from_file_location("dev", ROOT / "scripts" / "dev.py")
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)


def idle_connections(database: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction otherwise sees one snapshot
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() AND state = 'idle'",
            [database],
        )
        return cursor.fetchone()[0]


def serve(env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            probe = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            probe.request("GET", "/healthz")
            probe.getresponse().read()
            probe.close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("the development server did not start")


def idle_after_keep_alive_clients(env: dict, database: str) -> int:
    server = serve(env)
    clients = []
    try:
        for _ in range(KEEP_ALIVE_CLIENTS):
            client = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            client.request("GET", "/readyz")  # SELECT 1 over the server's connection
            assert client.getresponse().read()
            clients.append(client)  # kept open, as a browser keeps its connections
        time.sleep(0.5)
        return idle_connections(database)  # the server's: nothing else connects to this test database
    finally:
        for client in clients:
            client.close()
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.django_db
def test_make_runs_server_keeps_no_idle_database_connection():
    settings_dict = connection.settings_dict
    database = settings_dict["NAME"]
    host = settings_dict["HOST"] or "127.0.0.1"
    login = quote(settings_dict["USER"], safe="")
    if settings_dict.get("PASSWORD"):
        login += ":" + quote(settings_dict["PASSWORD"], safe="")
    url = f"postgres://{login}@{quote(host, safe='')}:{settings_dict['PORT'] or 5432}/{database}"
    env = {**dev.run_environment(), "DATABASE_URL": url, "PORT": str(PORT)}
    assert env["DATABASE_CONN_MAX_AGE"] == "0"
    assert idle_after_keep_alive_clients(env, database) == 0
    # What it was: a connection kept per browser connection.
    kept = idle_after_keep_alive_clients({**env, "DATABASE_CONN_MAX_AGE": "60"}, database)
    assert kept >= KEEP_ALIVE_CLIENTS


def test_a_chosen_lifetime_is_kept(monkeypatch):
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "30")
    monkeypatch.setenv("DATABASE_URL", os.environ.get("DATABASE_URL", "postgres://x@127.0.0.1/vigil"))
    assert dev.run_environment()["DATABASE_CONN_MAX_AGE"] == "30"
