"""The servers ``make bench`` measures: one gunicorn each, as deployed (bench/run.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn, as deployed: sync workers, DEBUG off."""

    def __init__(self, name: str, app: str, workers: int, env: dict):
        self.name, self.port = name, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            app,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)

    def wait(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.name}'s gunicorn stopped (exit {self.process.returncode}).")
            try:
                urllib.request.urlopen(self.url + path, timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers (401 without a token is an answer)
            except OSError:
                time.sleep(0.2)
        sys.exit(f"{self.name}'s gunicorn did not answer in 60 seconds.")

    def workers(self) -> list[int]:
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def memory_mb(self) -> list[dict]:
        """Each worker's resident memory now and its peak (VmRSS, VmHWM)."""
        rows = []
        for pid in self.workers():
            status = dict(
                line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
            )
            rows.append(
                {
                    "pid": pid,
                    "rss_mb": int(status["VmRSS"].split()[0]) / 1024,
                    "peak_mb": int(status["VmHWM"].split()[0]) / 1024,
                }
            )
        return rows

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
