"""The watch benchmark, a companion of ``make bench`` (issue 13's figures):

    DATABASE_URL=postgres://... .venv/bin/python bench/watch.py [--followers 1000] [--changes 2000]

Migrates the database it is given, then runs ``manage.py watch_bench`` in a
fresh process (everything it writes there is rolled back) and measures:

- notification fan-out: one event in a case that ``--followers`` users follow,
  handled by the notifier job's code (notifications per second);
- the change feed: ``--changes`` event changes read through ``GET
  /api/v1/changes/`` in pages of 200 (changes per second);
- pruning the change log past retention (changes deleted per second).

The figures are printed and written to ``bench/results/<date>-watch.json``.
Use a database of its own (``vigil_bench_watch``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str) -> str:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}  # a development secret key, as bench/imports.py
    return subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT, env=env).stdout


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/watch.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=2000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    options = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to a database of the benchmark's own")
    _manage("migrate", "--noinput", "-v0")
    output = _manage("watch_bench", "--followers", str(options.followers), "--changes", str(options.changes), "--json")
    figures = json.loads(output.strip().splitlines()[-1])
    for figure in figures.values():
        print(figure.pop("text"))
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "followers": options.followers,
        "changes": options.changes,
        **figures,
    }
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{result['date']}-watch.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
