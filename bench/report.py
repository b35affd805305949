"""What ``make bench`` prints and judges: the table and each goal, met or missed (bench/run.py)."""

from __future__ import annotations

# The goals, at 1,000,000 cases (bench/README in the project README).
GOAL_P50_MS, GOAL_P99_MS = 15, 60
GOAL_SEARCH_P95_MS, GOAL_PAGE_P50_MS = 50, 80
GOAL_RAW_SHARE, GOAL_NAIVE_TIMES = 0.5, 5
GOAL_QUERIES, GOAL_DEEP_RATIO, GOAL_RSS_MB = 6, 1.5, 200


def _ms(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _ratio(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def judge(rows: list[dict], memory: list[dict]) -> list[str]:
    """Each goal, met or missed, in words."""
    verdicts = []

    def verdict(ok: bool, text: str) -> None:
        verdicts.append(f"{'met ' if ok else 'MISSED'}  {text}")

    for row in rows:
        vigil, name = row["vigil"], row["scenario"]
        if not vigil.get("p50_ms"):
            verdict(False, f"{name}: no successful request")
            continue
        if row["group"] in {"list", "detail"}:
            verdict(vigil["p50_ms"] <= GOAL_P50_MS, f"{name}: p50 {vigil['p50_ms']:.1f} ms ≤ {GOAL_P50_MS}")
            verdict(vigil["p99_ms"] <= GOAL_P99_MS, f"{name}: p99 {vigil['p99_ms']:.1f} ms ≤ {GOAL_P99_MS}")
            if row["raw_share"] is not None:
                verdict(row["raw_share"] >= GOAL_RAW_SHARE, f"{name}: {row['raw_share']:.0%} of raw SQL's rps ≥ 50%")
            if row["naive_times"] is not None:
                verdict(row["naive_times"] >= GOAL_NAIVE_TIMES, f"{name}: {row['naive_times']:.1f}× naive DRF ≥ 5×")
        if row["group"] == "search":
            verdict(
                vigil["p95_ms"] <= GOAL_SEARCH_P95_MS, f"{name}: p95 {vigil['p95_ms']:.1f} ms ≤ {GOAL_SEARCH_P95_MS}"
            )
        if row["group"] == "page":
            verdict(vigil["p50_ms"] <= GOAL_PAGE_P50_MS, f"{name}: p50 {vigil['p50_ms']:.1f} ms ≤ {GOAL_PAGE_P50_MS}")
        verdict(0 <= row["queries"] <= GOAL_QUERIES, f"{name}: {row['queries']} queries per request ≤ {GOAL_QUERIES}")
    by_name = {row["scenario"]: row["vigil"] for row in rows}
    first, deep = by_name.get("cases list, page 1", {}), by_name.get("cases list, deep page", {})
    if first.get("p50_ms") and deep.get("p50_ms"):
        ratio = deep["p50_ms"] / first["p50_ms"]
        verdict(ratio <= GOAL_DEEP_RATIO, f"deep page p50 {ratio:.2f}× the first page's ≤ {GOAL_DEEP_RATIO}×")
    if memory:
        worst = max(worker["rss_mb"] for worker in memory)
        verdict(worst < GOAL_RSS_MB, f"largest Vigil worker {worst:.0f} MB RSS after the run < {GOAL_RSS_MB} MB")
    return verdicts


def print_table(rows: list[dict], memory: list[dict], verdicts: list[str], meta: dict) -> None:
    print()
    print(
        f"Vigil benchmark — {meta['cases']:,} cases, {meta['workers']} gunicorn workers, "
        f"{meta['concurrency']} concurrent clients, {meta['seconds']} s per run, cache: {meta['cache']}"
    )
    header = (
        f"{'scenario':<44} {'p50':>7} {'p95':>7} {'p99':>7} {'rps':>7} {'q/req':>5} "
        f"{'raw rps':>8} {'÷raw':>5} {'naive rps':>9} {'×naive':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        v, raw, naive = row["vigil"], row.get("raw") or {}, row.get("naive") or {}
        print(
            f"{row['scenario']:<44} {_ms(v.get('p50_ms')):>7} {_ms(v.get('p95_ms')):>7} {_ms(v.get('p99_ms')):>7} "
            f"{v.get('rps', 0):>7.0f} {row['queries']:>5} {raw.get('rps', 0) or 0:>8.0f} "
            f"{_ratio(row['raw_share']):>5} {naive.get('rps', 0) or 0:>9.0f} {_ratio(row['naive_times']):>6}"
        )
    print("(latencies in ms; ÷raw: Vigil's rps over the raw-SQL app's; ×naive: over the naive DRF baseline's)")
    print(
        "Vigil workers after the run: "
        + ", ".join(f"{worker['rss_mb']:.0f} MB (peak {worker['peak_mb']:.0f})" for worker in memory)
    )
    print()
    for line in verdicts:
        print(line)
