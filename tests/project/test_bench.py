"""`make bench SCALE=small`: the benchmark's smoke test. Every scenario answers
Vigil, the raw-SQL reference and the naive DRF baseline, and Vigil's rows are
the raw reference's (bench/scenarios.py); speed is not judged at this scale."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]


def test_every_scenario_answers_correctly_on_a_small_caseload(tmp_path):
    # A database of this checkout's own (named after its DATABASE_URL's): two checkouts
    # running the smoke test at once would otherwise drop each other's vigil_bench_2000.
    own = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/") or "vigil"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--scale",
            "small",
            "--database",
            f"{own}_bench_small",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [result_file] = tmp_path.glob("*-small.json")
    result = json.loads(result_file.read_text())
    assert result["failures"] == []
    names = [row["scenario"] for row in result["scenarios"]]
    assert len(names) == 10 and "case timeline, 500 entries" in names
    for row in result["scenarios"]:
        assert row["vigil"]["requests"] == 10 and row["vigil"]["errors"] == 0, row
        assert row["queries"] > 0, row
        for reference in ("raw", "naive"):
            if row[reference] is not None:
                assert row[reference]["errors"] == 0, row
    assert "p50" in done.stdout and "÷raw" in done.stdout, "the table is printed"
    assert all(worker["rss_mb"] > 0 for worker in result["memory"])
