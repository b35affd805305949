"""Vigil's settings, serving the naive DRF baseline (bench/naive.py) instead of Vigil's URLs."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.naive"
