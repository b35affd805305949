"""What the benchmark asks, of Vigil and of its two references.

Each scenario is one page an advocate or a script asks for, as the
benchmark's editor (``bench-editor``, on the teams of 20 of the 60 teams, so
restricted cases are in play). For each, ``vigil`` is the request to Vigil,
``raw`` the same page from the raw-SQL app (bench/raw_app.py) and ``naive``
the same question to the naive DRF baseline (bench/naive.py); a scenario
without a reference has None there.

``check`` compares Vigil's answer with the raw app's: the same rows in the
same order (ids), so the reference measures the same work and Vigil answers
correctly. It returns an error message, or "" when they agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict | None = None
    auth: str = "token"  # "token": the API's Authorization header; "session": the dashboard's cookie
    status: int = 200


@dataclass
class Scenario:
    name: str
    group: str  # "list" and "detail" (the 15/60 ms goals), "search" (p95 ≤ 50 ms), "page" (p50 ≤ 80 ms), "write"
    vigil: Call
    raw: Call | None = None
    naive: Call | None = None
    check: Callable[[bytes, bytes | None], str] = field(default=lambda vigil, raw: "")


@dataclass(frozen=True)
class Context:
    """What the scenarios are about, found in the generated data (bench.run)."""

    timeline_case: int  # the editor's visible case with the most timeline entries
    timeline_reference: str
    detail_case: int  # a restricted case the editor may see (its views are logged)
    detail_reference: str
    deep_cursor: str  # Vigil's cursor to the deep page
    deep_after: str  # the same place for the raw app: "opened_on,id"
    deep_page: int  # the same place as a page number, for the naive baseline
    source: int  # a source the created events cite
    role: str = "receiving_state"
    request_status: str = "denied"
    name: str = "Lee Jong Chul"  # stored as Ri Jong Chol, Lee Jeong-cheol, 리정철: never this spelling
    words: str = "hunger strike"


def _ids(body: bytes, *, key: str = "id") -> list:
    data = json.loads(body)
    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    return [row[key] for row in rows]


def same_rows(vigil: bytes, raw: bytes | None) -> str:
    mine, theirs = _ids(vigil), _ids(raw)
    if not mine:
        return "Vigil returned no rows: the scenario measures nothing"
    if mine != theirs:
        return f"rows differ from the raw-SQL reference: {mine[:5]}… vs {theirs[:5]}…"
    return ""


def same_timeline(vigil: bytes, raw: bytes | None) -> str:
    mine = [(row["kind"], row["id"]) for row in json.loads(vigil)["results"]]
    theirs = [(row["kind"], row["id"]) for row in json.loads(raw)["results"]]
    if len(mine) < 500:
        return f"the timeline has {len(mine)} entries, not 500"
    if mine != theirs:
        return "the timeline's entries differ from the raw-SQL reference"
    return ""


def same_object(vigil: bytes, raw: bytes | None) -> str:
    mine, theirs = json.loads(vigil), json.loads(raw)
    differ = [key for key in ("id", "reference", "status", "subjects", "team") if mine.get(key) != theirs.get(key)]
    return f"fields differ from the raw-SQL reference: {differ}" if differ else ""


def created(vigil: bytes, raw: bytes | None) -> str:
    mine = json.loads(vigil)
    return "" if mine.get("id") and mine.get("citations") else f"no event with its citation in {mine}"


def page_shows(*texts: str) -> Callable[[bytes, bytes | None], str]:
    def check(vigil: bytes, raw: bytes | None) -> str:
        page = vigil.decode()
        missing = [text for text in texts if text not in page]
        return f"the page does not show {missing}" if missing else ""

    return check


def scenarios(context: Context) -> list[Scenario]:
    c = context
    new_event = {
        # Not the timeline case: the events written here (thousands by the raw app in 10 s)
        # would lengthen the timeline the next run measures.
        "case": c.detail_case,
        "occurred_on": "2025-02-17",
        "kind": "interview",
        "title": "Benchmark interview",
        "description": "Written by the benchmark.",
        "sources": [{"source": c.source, "confidence": "probable"}],
    }
    filtered = f"government_role={c.role}&request_status={c.request_status}"
    return [
        Scenario(
            "cases list, page 1",
            "list",
            Call("GET", "/api/v1/cases/"),
            Call("GET", "/cases"),
            Call("GET", "/naive/cases/"),
            same_rows,
        ),
        Scenario(
            "cases list, deep page",
            "list",
            Call("GET", f"/api/v1/cases/?cursor={c.deep_cursor}"),
            Call("GET", f"/cases?after={c.deep_after}"),
            Call("GET", f"/naive/cases/?page={c.deep_page}"),
            same_rows,
        ),
        Scenario(
            "cases by government role and request status",
            "list",
            Call("GET", f"/api/v1/cases/?{filtered}"),
            Call("GET", f"/cases?role={c.role}&status={c.request_status}"),
            Call("GET", f"/naive/cases/?{filtered}"),
            same_rows,
        ),
        Scenario(
            "people name search",
            "search",
            Call("GET", f"/api/v1/people/?search={c.name.replace(' ', '+')}"),
            Call("GET", f"/people?search={c.name.replace(' ', '+')}"),
            Call("GET", f"/naive/people/?search={c.name.replace(' ', '+')}"),
            same_rows,
        ),
        Scenario(
            "events full-text search",
            "search",
            Call("GET", f"/api/v1/events/?search={c.words.replace(' ', '+')}"),
            Call("GET", f"/events?search={c.words.replace(' ', '+')}"),
            Call("GET", f"/naive/events/?search={c.words.replace(' ', '+')}"),
            same_rows,
        ),
        Scenario(
            "case timeline, 500 entries",
            "detail",
            Call("GET", f"/api/v1/cases/{c.timeline_case}/timeline/?page_size=500"),
            Call("GET", f"/cases/{c.timeline_case}/timeline?page_size=500"),
            Call("GET", f"/naive/events/?case={c.timeline_case}&page_size=500"),
            same_timeline,
        ),
        Scenario(
            "case detail",
            "detail",
            Call("GET", f"/api/v1/cases/{c.detail_case}/"),
            Call("GET", f"/cases/{c.detail_case}"),
            Call("GET", f"/naive/cases/{c.detail_case}/"),
            same_object,
        ),
        Scenario(
            "create an event",
            "write",
            Call("POST", "/api/v1/events/", new_event, status=201),
            Call("POST", "/events", new_event, status=201),
            Call("POST", "/naive/events/", {k: v for k, v in new_event.items() if k != "sources"}, status=201),
            created,
        ),
        Scenario("dashboard home", "page", Call("GET", "/", auth="session"), check=page_shows("Vigil")),
        Scenario(
            "case page (500+ entries)",
            "page",
            Call("GET", f"/cases/{c.timeline_reference}/", auth="session"),
            check=page_shows(c.timeline_reference),
        ),
    ]
