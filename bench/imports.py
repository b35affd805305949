"""The import and duplicate benchmark, a companion of ``make bench``:

    DATABASE_URL=postgres://... .venv/bin/python bench/imports.py --rows 100000 [--people 20000]

1. Writes a messy CSV of ``--rows`` rows (names in Hangul and Latin, every date
   form, statuses in free text, ICRC numbers, 200 cases, detentions, requests,
   notes; a fifth of the rows name a person of an earlier row), streamed to disk.
2. Runs ``manage.py import_records`` in a fresh process for the dry run, then
   again to commit it, each timed, with the process's peak memory (ru_maxrss).
3. Runs ``manage.py find_duplicates`` over the people the import made, timed.

``--duplicates-only`` skips 1 and 2: the duplicate pass alone, over a database
made by ``manage.py generate_data --cases N`` (the scale the review queue must
keep up with). ``make bench-import`` runs it. ``--generate-people N`` first adds
N people in SQL (bench/people_at_scale.py: names in several scripts, birth dates,
ICRC numbers, one in thirty recorded twice), then times the pass over them.

It migrates the database it is given and writes into it: use a database of its
own (``vigil_bench_imports``), never one with data you keep.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CPU_SECONDS: dict[str, float] = {}
SURNAMES = [("Kim", "김"), ("Ri", "리"), ("Pak", "박"), ("Choe", "최"), ("Jong", "정"), ("Kang", "강"), ("Jo", "조"),
            ("Yun", "윤"), ("Jang", "장"), ("Han", "한"), ("O", "오"), ("Ryu", "류"), ("Sin", "신"), ("Ho", "허")]  # fmt: skip
SYLLABLES = [("Chol", "철"), ("Hyok", "혁"), ("Myong", "명"), ("Song", "성"), ("Su", "수"), ("Il", "일"), ("Nam", "남"),
             ("Ho", "호"), ("Jin", "진"), ("Guk", "국"), ("Yong", "용"), ("Hun", "훈"), ("Gwang", "광"), ("Min", "민"),
             ("Chan", "찬"), ("Hyon", "현"), ("Sok", "석"), ("Un", "은"), ("Dok", "덕"), ("Bom", "범")]  # fmt: skip
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
HEADER = ["Name", "Born", "Nationality", "Status", "ICRC no.", "Case", "Held at", "Since", "Request",
          "Request status", "Note"]  # fmt: skip
MAPPING = {
    "columns": {
        "Name": {"field": "person.names", "split": "/"},
        "Born": "person.birth",
        "Nationality": "person.nationality",
        "Status": {"field": "person.status", "choices": {"held": "in_detention", "freed": "released"}},
        "ICRC no.": "person.identifier.icrc",
        "Case": "case.title",
        "Held at": "detention.facility",
        "Since": "detention.started",
        "Request": {"field": "request.category", "choices": {"meds": "medicine", "go south": "transfer"}},
        "Request status": {"field": "request.status", "choices": {"waiting": "stalled"}},
        "Note": "note.body",
    }
}


def a_date(rng: random.Random, year: int) -> str:
    form = rng.randrange(5)
    if form == 0:
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if form == 1:
        return f"{rng.choice(MONTHS)} {year}"
    if form == 2:
        return f"Q{rng.randint(1, 4)} {year}"
    return f"{year}?" if form == 3 else str(year)


def write_file(path: Path, rows: int, people: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            who = rng.randrange(people) if number >= people else number
            person_rng = random.Random(who)
            surname, given = person_rng.choice(SURNAMES), person_rng.sample(SYLLABLES, 2)
            latin = f"{surname[0]} {given[0][0]} {given[1][0]}"
            hangul = surname[1] + given[0][1] + given[1][1]
            writer.writerow([
                f"{latin} / {hangul}", a_date(person_rng, person_rng.randint(1970, 2006)), "DPRK",
                rng.choice(["held", "freed", "held", "missing"]), f"ICRC-{who:07d}", f"Case {who % 200:03d}",
                f"Camp {rng.randint(1, 40)}", a_date(rng, rng.randint(2022, 2025)),
                *rng.choice([("meds", ""), ("go south", "waiting"), ("reading", "stated"), ("", ""), ("", "waiting")]),
                rng.choice(["", "", "Asked again.", "Visited by the ICRC."]),
            ])  # fmt: skip


def manage(*args: str) -> tuple[float, int, str]:
    """Run a manage.py command in a fresh process: (seconds, peak RSS in MB, output); the
    process's own CPU seconds are in ``CPU_SECONDS[args[0]]`` (on a shared machine the
    wall time also counts waiting for PostgreSQL and the other processes)."""
    probe = (
        "import resource, runpy, sys; sys.argv = ['manage.py', *sys.argv[1:]]; "
        "exec(open('manage.py').read()); "
        "usage = resource.getrusage(resource.RUSAGE_SELF); "
        "print('PEAK_RSS_KB', usage.ru_maxrss, 'CPU_S', usage.ru_utime + usage.ru_stime, file=sys.stderr)"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "DEBUG": os.environ.get("DEBUG", "1")},
    )  # fmt: skip
    elapsed = time.monotonic() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    found = re.search(r"PEAK_RSS_KB (\d+) CPU_S ([\d.]+)", done.stderr)
    CPU_SECONDS[args[0]] = float(found[2])
    return elapsed, int(found[1]) // 1024, done.stdout


def _figures(rows: int, seconds: float, peak: int) -> dict:
    cpu = CPU_SECONDS.get("import_records" if rows else "find_duplicates", 0.0)
    found = {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_mb": peak}
    if rows:
        found |= {"rows_per_s": round(rows / seconds), "rows_per_cpu_s": round(rows / cpu) if cpu else None}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=0, help="distinct people (default: 4 rows in 5)")
    parser.add_argument("--out", default="", help="write the figures as JSON here")
    parser.add_argument("--duplicates-only", action="store_true", help="time the duplicate pass alone")
    parser.add_argument("--generate-people", type=int, default=0, metavar="N",
                        help="first add N people with names and identifiers (bench/people_at_scale.py), then time the pass")  # fmt: skip
    args = parser.parse_args()
    if args.duplicates_only or args.generate_people:
        figures = {}
        if args.generate_people:
            manage("migrate", "--no-input", "-v", "0")
            seconds, peak, output = manage("shell", "-c", "from bench.people_at_scale import generate; "
                                           f"import json; print(json.dumps(generate({args.generate_people})))")  # fmt: skip
            figures["generated"] = {**json.loads(output.strip().splitlines()[-1]), "peak_mb": peak}
            print(json.dumps(figures["generated"]), flush=True)
        seconds, peak, output = manage("find_duplicates")
        figures["duplicate_pass"] = {**_figures(0, seconds, peak), "result": output.strip()}
        print(json.dumps(figures, indent=2))
        if args.out:
            Path(args.out).write_text(json.dumps(figures, indent=2))
        return
    people = args.people or max(1, args.rows * 4 // 5)
    manage("migrate", "--no-input", "-v", "0")
    manage("shell", "-c", "from tests.factories import UserFactory; from django.contrib.auth.models import Group; "
           "u = UserFactory(username='bench-importer'); u.groups.add(Group.objects.get(name='data manager'))")  # fmt: skip
    figures = {"rows": args.rows, "people": people}
    with tempfile.TemporaryDirectory() as folder:
        data, mapping = Path(folder) / "detainees.csv", Path(folder) / "mapping.json"
        mapping.write_text(json.dumps(MAPPING))
        write_file(data, args.rows, people)
        figures["file_mb"] = round(data.stat().st_size / 1_048_576, 1)
        common = ("--mapping", str(mapping), "--user", "bench-importer")
        seconds, peak, output = manage("import_records", str(data), *common, "--dry-run")
        figures["dry_run_and_rejected_file"] = _figures(args.rows, seconds, peak)
        print(output.splitlines()[0])
        batch = re.search(r"batch #(\d+)", output)[1]
        seconds, peak, output = manage("import_records", "--resume", batch, "--user", "bench-importer")
        figures["commit"] = _figures(args.rows, seconds, peak)
        print(output.strip().splitlines()[-1])
    seconds, peak, output = manage("find_duplicates")
    figures["duplicate_pass"] = {**_figures(0, seconds, peak), "result": output.strip()}
    print(json.dumps(figures, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
