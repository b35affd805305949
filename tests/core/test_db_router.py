"""Reads go to a streaming replica when there is one; writes, and a writer's next reads, to the primary.

The router's rules are checked in process; then a real primary and a real streaming replica (initdb,
pg_basebackup -R) serve a real Vigil process, and the test watches where its reads land by pausing the
replica's replay: a row written on the primary is then missing on the replica only.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from core import replica
from core.replica import ReplicaRouter
from tests.pg_cluster import PORTS, Cluster, binaries, scratch_dir

ROOT = Path(__file__).resolve().parents[2]
WEB_PORT = 8132


def test_the_router_sends_case_data_where_the_request_was_sent_and_everything_else_to_the_primary():
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    from casework.models import Case
    from events.models import Source

    router = ReplicaRouter()
    assert router.db_for_read(Case) == "default", "outside a replica-eligible request: the primary"
    token = replica._read_from.set("replica")
    try:
        assert router.db_for_read(Case) == router.db_for_read(Source) == "replica"
        assert router.db_for_read(User) == router.db_for_read(Session) == "default", "sign-in and sessions: primary"
        assert router.db_for_write(Case) == "default"
    finally:
        replica._read_from.reset(token)
    assert router.allow_migrate("replica", "casework") is False
    assert router.allow_migrate("default", "casework") is True


def _get(path: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{WEB_PORT}{path}", headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - http://127.0.0.1 only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _post(path: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{WEB_PORT}{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - http://127.0.0.1 only
            return response.status
    except urllib.error.HTTPError as error:
        raise AssertionError(error.read().decode()) from error


SETUP_USERS = """
import json
from django.contrib.auth.models import Group, User
from core.models import ApiToken
from core.roles import EDITOR, ensure_roles
ensure_roles()
tokens = {}
for name in ("writer", "reader"):
    user = User.objects.create_user(name, f"{name}@example.org", "a long enough password", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    tokens[name] = ApiToken.objects.create(user=user, name="router")[1]
print(json.dumps(tokens))
"""


@pytest.fixture
def primary_and_replica(django_db_setup, django_db_blocker):
    """A primary holding Vigil's schema (dumped from the test database), and its streaming replica."""
    bin_dir, user = binaries()
    base = scratch_dir(user)
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    primary = Cluster("primary", PORTS[2 * worker], base, bin_dir, user)
    standby = Cluster("replica", PORTS[2 * worker + 1], base, bin_dir, user)
    try:
        primary.init().start()
        primary.sql("CREATE DATABASE vigil")
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            [test_database] = cursor.fetchone()
        source = connection.settings_dict
        target = ["-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432), "-U", source["USER"]]
        dump = subprocess.run([str(bin_dir / "pg_dump"), "--no-owner", *target, test_database],
                              capture_output=True, text=True, check=True, timeout=60).stdout  # fmt: skip
        # Some servers keep private per-column options (pg_attver) that another build refuses: leave them out.
        dump = "\n".join(line for line in dump.splitlines() if "SET (pg_attver=" not in line)
        subprocess.run([str(bin_dir / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(primary.port),
                        "-U", "postgres", "-d", "vigil"], input=dump, text=True, check=True, timeout=60,
                       capture_output=True)  # fmt: skip
        standby.clone_of(primary).start()
        standby.wait_until("SELECT pg_is_in_recovery()", "t")
        yield primary, standby
    finally:
        standby.stop("immediate")
        primary.stop("immediate")
        subprocess.run(["rm", "-rf", str(base)], check=False)


def _count_titles(word: str) -> str:
    assert word.isalnum()  # made by the test: safe inside the SQL
    return f"SELECT count(*) FROM events_source WHERE title LIKE '%{word}%'"  # noqa: S608


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.slow
@pytest.mark.django_db  # the test database must exist: its schema is what the primary gets
def test_reads_on_the_replica_writes_on_the_primary_a_writer_reads_their_writes_and_a_lost_replica_is_survived(
    primary_and_replica,
):
    primary, standby = primary_and_replica
    assert _free(WEB_PORT)
    env = {
        **os.environ,
        "DATABASE_URL": primary.url("vigil"),
        "DATABASE_REPLICA_URL": standby.url("vigil"),
        "DATABASE_READ_YOUR_WRITES_SECONDS": "5",
        "DATABASE_REPLICA_RETRY_SECONDS": "1",
        "DEBUG": "1",
        "REQUIRE_TWO_FACTOR": "0",
        "LOG_FORMAT": "json",
    }
    env.pop("REDIS_URL", None)
    made = subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP_USERS], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True, timeout=60)  # fmt: skip
    tokens = json.loads(made.stdout.strip().splitlines()[-1])
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{WEB_PORT}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for _ in range(200):
            if not _free(WEB_PORT):
                break
            time.sleep(0.1)
        standby.wait_until(
            "SELECT count(*) FROM auth_user WHERE username IN ('writer', 'reader')", "2", database="vigil"
        )

        def titles_seen(token: str, word: str) -> int:
            status, body = _get(f"/api/v1/sources/?search={word}", token)
            assert status == 200, body
            return body.count(word)

        # The replica stops replaying: what is written now exists on the primary only.
        standby.sql("SELECT pg_wal_replay_pause()")
        word = f"replicacheck{uuid.uuid4().hex[:8]}"
        assert _post("/api/v1/sources/", tokens["writer"], {"kind": "news_report", "title": f"Report {word}"}) == 201
        assert primary.sql(_count_titles(word), "vigil") == "1"
        assert titles_seen(tokens["reader"], word) == 0, "the reader's list is served by the (paused) replica"
        assert titles_seen(tokens["writer"], word) == 1, "the writer reads their own write from the primary"

        # Replay resumes: the reader sees it once the replica has caught up.
        standby.sql("SELECT pg_wal_replay_resume()")
        standby.wait_until(_count_titles(word), "1", database="vigil")
        assert titles_seen(tokens["reader"], word) == 1

        # The replica goes away: reads fall back to the primary, nothing fails.
        standby.stop("immediate")
        second = f"replicagone{uuid.uuid4().hex[:8]}"
        assert _post("/api/v1/sources/", tokens["writer"], {"kind": "news_report", "title": f"Report {second}"}) == 201
        assert titles_seen(tokens["reader"], second) == 1, "with the replica down the primary answers"
        status, _ = _get("/", tokens["reader"])
        assert status in {200, 302}

        # It comes back: once the retry interval has passed, reads go to it again.
        standby.start()
        standby.wait_until("SELECT pg_is_in_recovery()", "t")
        standby.wait_until(_count_titles(second), "1", database="vigil")
        standby.sql("SELECT pg_wal_replay_pause()")
        third = f"replicaback{uuid.uuid4().hex[:8]}"
        assert _post("/api/v1/sources/", tokens["writer"], {"kind": "news_report", "title": f"Report {third}"}) == 201
        time.sleep(1.2)  # DATABASE_REPLICA_RETRY_SECONDS
        deadline = time.monotonic() + 10
        while titles_seen(tokens["reader"], third) != 0:  # the first tries may still find the replica down
            assert time.monotonic() < deadline, "reads never went back to the replica"
            time.sleep(0.5)
        standby.sql("SELECT pg_wal_replay_resume()")
    finally:
        server.terminate()
        server.wait(timeout=10)
