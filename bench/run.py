"""``make bench`` (``make bench SCALE=small|full|<cases>``): Vigil against the physical limit.

1. A database of generated data, ``vigil_bench_<cases>`` on the server of
   DATABASE_URL (made once with ``generate_data``, then reused: a complete
   one is marked by a comment on the database).
2. Three gunicorn servers as deployed (sync workers, DEBUG off): Vigil, the
   raw-SQL reference (bench/raw_app.py) and the naive DRF baseline
   (bench/naive.py), each started by bench/servers.py.
3. For each scenario (bench/scenarios.py) and each server: a warm-up, then a
   fixed number of concurrent clients for a fixed time, from another process
   (bench/drive.py): p50, p95, p99 and requests per second.
4. Queries per request (each scenario once more, in this process, counted),
   and each Vigil worker's memory (RSS now, and its peak).
5. A table on the terminal, the goals met or missed (bench/report.py), and everything in
   ``bench/results/<date>-<scale>.json``.

``SCALE=small`` (2,000 cases) is the smoke test run by ``make test``: each
scenario must answer correctly (Vigil's rows equal to the raw reference's),
its speed is reported but never judged.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import urllib.request
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.report import _ms, judge, print_table
from bench.servers import Server

ROOT = Path(__file__).resolve().parent.parent
SCALES = {"small": 2_000, "full": 1_000_000}
SEED = 1
COMPLETE = "vigil bench data: {cases} cases, seed {seed}, complete"


# ---------------------------------------------------------------- database
def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _psql(url: str, sql: str) -> str:
    import psycopg2

    connection = psycopg2.connect(_with_database(url, "postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return str(cursor.fetchone()[0]) if cursor.description else ""
    finally:
        connection.close()


def _manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(server_url: str, cases: int, env: dict, name: str = "") -> str:
    """The URL of a database holding ``cases`` generated cases, made if needed."""
    name = name or f"vigil_bench_{cases}"
    url = _with_database(server_url, name)
    marker = COMPLETE.format(cases=cases, seed=SEED)
    comment = _psql(
        server_url,
        f"SELECT COALESCE((SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{name}'), '')",
    )
    env = {**env, "DATABASE_URL": url, "DATABASE_STATEMENT_TIMEOUT": "0"}  # new indexes on millions of rows
    if comment == marker:
        print(f"Using {name}: {cases:,} generated cases (drop the database to generate them again).")
        _manage("migrate", "--noinput", "-v0", env=env)
        return url
    print(f"Making {name} with {cases:,} generated cases (once; later runs reuse it).")
    _psql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(server_url, f'CREATE DATABASE "{name}"')
    _manage("migrate", "--noinput", "-v0", env=env)
    _manage("generate_data", "--cases", str(cases), "--seed", str(SEED), env=env)
    _psql(server_url, f"COMMENT ON DATABASE \"{name}\" IS '{marker}'")
    return url


# ---------------------------------------------------------------- context
def find_context(cases: int):
    """The editor, their credentials, and what the scenarios are about."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from bench.scenarios import Context
    from casework.models import Case
    from core.api.pagination import encode_cursor
    from core.models import ApiToken
    from events.generate import BENCH_EDITOR
    from events.models import Event, Source

    editor = get_user_model().objects.get(username=BENCH_EDITOR)
    # A new token each run (only its digest is stored), marked used: last_used is written at most
    # once a minute, so the counted queries are those of every other request.
    ApiToken.objects.filter(user=editor, name="benchmark").delete()
    _instance, token = ApiToken.objects.create(user=editor, name="benchmark", last_used=timezone.now())
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(editor)
    visible = Case.objects.visible_to(editor)
    # The huge cases are the first ones generated: the one with the most events.
    first = list(visible.order_by("id").values_list("id", "reference")[:10])
    timeline_case, timeline_reference = max(first, key=lambda row: Event.objects.filter(case_id=row[0]).count())
    middle = visible.filter(confidentiality="restricted", id__gte=Case.objects.order_by("-id")[0].id // 2)
    detail_case, detail_reference = middle.order_by("id").values_list("id", "reference")[0]
    deep_offset = min(visible.count() // 2, 500_000) // 50 * 50  # the first row of a page
    opened_on, last_id = visible.order_by("-opened_on", "-id").values_list("opened_on", "id")[deep_offset - 1]
    context = Context(
        timeline_case=timeline_case,
        timeline_reference=timeline_reference,
        detail_case=detail_case,
        detail_reference=detail_reference,
        deep_cursor=encode_cursor((opened_on.isoformat(), last_id)),
        deep_after=f"{opened_on.isoformat()},{last_id}",
        deep_page=deep_offset // 50 + 1,
        source=Source.objects.order_by("id").values_list("id", flat=True)[0],
    )
    headers = {
        "token": {"Authorization": f"Token {token}", "Content-Type": "application/json"},
        "session": {"Cookie": f"sessionid={client.cookies['sessionid'].value}"},
    }
    return editor, context, headers


# ---------------------------------------------------------------- driving
def _requests(server: Server, call, headers: dict) -> list[dict]:
    request = {"method": call.method, "url": server.url + call.path, "headers": dict(headers[call.auth])}
    if call.body is not None:
        request["body"] = json.dumps(call.body)
    return [request]


def drive(server: Server, call, headers: dict, *, concurrency: int, seconds: float, warmup: float, count: int):
    spec = {
        "requests": _requests(server, call, headers),
        "status": call.status,
        "concurrency": concurrency,
        "seconds": seconds,
        "warmup_seconds": warmup,
        "max_requests": count,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.drive"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    result = json.loads(done.stdout)
    latencies = sorted(result.pop("latencies_ms"))
    if latencies:
        result.update(
            requests=len(latencies),
            p50_ms=_percentile(latencies, 50),
            p95_ms=_percentile(latencies, 95),
            p99_ms=_percentile(latencies, 99),
            mean_ms=statistics.fmean(latencies),
            rps=len(latencies) / result["seconds"] if result["seconds"] else 0,
        )
    return result


def _percentile(ordered: list[float], percent: float) -> float:
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def fetch(server: Server, call, headers: dict) -> tuple[int, bytes]:
    request = _requests(server, call, headers)[0]
    message = urllib.request.Request(
        request["url"], data=(request.get("body") or "").encode() or None, headers=request["headers"]
    )
    message.method = call.method
    try:
        with urllib.request.urlopen(message, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (OSError, http.client.HTTPException) as error:  # no answer at all (gunicorn killed a worker at 30 s)
        return 0, repr(error).encode()


# pghistory sends its context on the same statement ("SELECT set_config(...); SAVEPOINT ..."): one round
# trip, judged by what follows it.
TRANSACTION_CONTROL = re.compile(
    r"^\s*(SELECT set_config\('pghistory\.context_id'.*?;\s*)?(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b",
    re.IGNORECASE | re.DOTALL,
)


def count_queries(call, editor, token_key: str) -> int:
    """The queries Vigil makes for one request, counted in this process (Django's
    test client, same settings); BEGIN, COMMIT and savepoints are not queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if call.auth == "session":
        client.force_login(editor)
        extra = {}
    else:
        extra = {"HTTP_AUTHORIZATION": f"Token {token_key}"}
    with CaptureQueriesContext(connection) as queries:
        if call.method == "POST":
            response = client.post(call.path, json.dumps(call.body), content_type="application/json", **extra)
        else:
            response = client.get(call.path, **extra)
    if response.status_code != call.status:
        return -1
    return sum(1 for query in queries.captured_queries if not TRANSACTION_CONTROL.match(query["sql"]))


# ---------------------------------------------------------------- main
def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="full", help="small (2,000 cases), full (1,000,000) or a number")
    parser.add_argument(
        "--database",
        default="",
        help="the generated data's database (default vigil_bench_<cases>; give each session its own)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server (default 4)")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per scenario and server")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"), help="where the JSON results go")
    options = parser.parse_args(argv)
    cases = SCALES.get(options.scale) or int(options.scale)
    smoke = options.scale == "small"

    env = dict(os.environ)
    for key in ("DEBUG", "REQUIRE_TWO_FACTOR"):
        env.pop(key, None)  # as deployed: the settings' production defaults
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on the loopback; production redirects to HTTPS
        API_USER_THROTTLE="100000000/hour",  # counted, as in production, but never reached
        LOG_LEVEL="WARNING",
    )
    env["DATABASE_URL"] = prepare_database(env["DATABASE_URL"], cases, env, options.database)
    _manage("collectstatic", "--noinput", "-v0", env=env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    editor, context, headers = find_context(cases)
    token_key = headers["token"]["Authorization"].split()[1]

    from bench.scenarios import scenarios

    cache = "Redis" if env.get("REDIS_URL") else "PostgreSQL (no REDIS_URL)"
    servers = {
        "vigil": Server("Vigil", "config.wsgi:application", options.workers, env),
        "raw": Server("raw SQL", "bench.raw_app:app", options.workers, {**env, "BENCH_USER_ID": str(editor.pk)}),
        "naive": Server(
            "naive DRF",
            "config.wsgi:application",
            options.workers,
            {**env, "DJANGO_SETTINGS_MODULE": "bench.naive_settings"},
        ),
    }
    rows, failures, notes = [], [], []
    try:
        servers["vigil"].wait("/healthz")
        servers["raw"].wait("/cases")
        servers["naive"].wait("/naive/cases/")
        for scenario in scenarios(context):
            row = {"scenario": scenario.name, "group": scenario.group, "vigil": {}, "raw": None, "naive": None}
            answers = {}
            for target in ("vigil", "raw", "naive"):
                call = getattr(scenario, target)
                if call is None:
                    continue
                status, body = fetch(servers[target], call, headers)
                if status != call.status:
                    problem = f"{scenario.name} ({target}): {status} {body[:300]!r}"
                    if target == "vigil" or smoke:
                        failures.append(problem)
                    else:  # a reference that cannot answer this page at this scale is a result, not an error
                        notes.append(problem)
                        row[target] = {"error": f"no answer ({status or 'timed out'})"}
                    continue
                answers[target] = body
                row[target] = drive(
                    servers[target],
                    call,
                    headers,
                    concurrency=options.concurrency,
                    seconds=0 if smoke else options.seconds,
                    warmup=0 if smoke else 1,
                    count=10 if smoke else 0,
                )
                if row[target]["errors"]:
                    problem = f"{scenario.name} ({target}): {row[target]['error_samples'][0]}"
                    (failures if target == "vigil" or smoke else notes).append(problem)
            if "vigil" in answers and ("raw" in answers or scenario.raw is None):
                problem = scenario.check(answers["vigil"], answers.get("raw"))
                if problem:
                    failures.append(f"{scenario.name}: {problem}")
            row["queries"] = count_queries(scenario.vigil, editor, token_key)
            vigil_rps = row["vigil"].get("rps")
            row["raw_share"] = vigil_rps / row["raw"]["rps"] if vigil_rps and (row["raw"] or {}).get("rps") else None
            row["naive_times"] = (
                vigil_rps / row["naive"]["rps"] if vigil_rps and (row["naive"] or {}).get("rps") else None
            )
            rows.append(row)
            print(f"  {scenario.name}: p50 {_ms(row['vigil'].get('p50_ms'))} ms", flush=True)
        memory = servers["vigil"].memory_mb()
    finally:
        for server in servers.values():
            server.stop()

    meta = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cases": cases,
        "workers": options.workers,
        "concurrency": options.concurrency,
        "seconds": 0 if smoke else options.seconds,
        "cache": cache,
        "cpus": os.cpu_count(),
        "context": asdict(context),
    }
    if smoke:
        verdicts = ["(a smoke run: every scenario answered; its speed is not judged at this scale)"]
    else:
        verdicts = judge(rows, memory)
    print_table(rows, memory, verdicts, meta)
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{datetime.date.today().isoformat()}-{options.scale}.json"
    path.write_text(
        json.dumps(
            {**meta, "scenarios": rows, "memory": memory, "goals": verdicts, "failures": failures, "notes": notes},
            indent=2,
        )
    )
    print(f"\nResults: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if notes:
        print("\nReferences that could not answer:", *notes, sep="\n  ")
    if failures:
        print("\nWrong answers:", *failures, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
