"""A realistic caseload for benchmarks: `python manage.py generate_data --cases N --seed S`.

At --cases 1000000: about 1.2 million people with 3 names each (Hangul,
Latin and Cyrillic spellings), 3 million requests with their updates, 10
million events each citing a source, about 200 governments with involvements
and positions, 300 users in 60 teams, 5% restricted cases. Case sizes follow a
heavy tail (most cases small, a few huge: the first ten have 500+ events),
statuses are skewed and dates spread over 30 years.

Rows go in with PostgreSQL COPY, in chunks. While loading, the tables' user
triggers (history, version bumps, foreign-key checks) are disabled and their
secondary indexes dropped, then indexes are rebuilt: the output says so. The
data keeps every constraint (checks and unique indexes stay on, and foreign
keys point at rows this run wrote).
"""

import sys

from events.generate.generator import Generator
from events.generate.vocabulary import BENCH_EDITOR

__all__ = ["BENCH_EDITOR", "generate"]


def generate(cases: int, seed: int, out=sys.stdout) -> dict[str, int]:
    return Generator(cases, seed, out).run()
