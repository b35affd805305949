"""The physical limit: each benchmark page as one hand-written SQL query through
psycopg, serialised with ``json.dumps``, in a minimal WSGI app served by the
same gunicorn as Vigil (``gunicorn bench.raw_app:app``).

No Django, no ORM, no serializer: what is left is PostgreSQL, the driver and
the HTTP server. Each route returns the same rows, in the same order, as the
Vigil page it stands for (bench/scenarios.py checks that), with the same
access rule for the benchmark's user: normal cases, and restricted cases
they lead or are on the team of; no sensitive events.

Configured by the environment: DATABASE_URL, and BENCH_USER_ID (the user
whose view of the data every page is).
"""

from __future__ import annotations

import datetime
import json
import os
from urllib.parse import parse_qs

import psycopg2

from people.names import query_keys

PAGE = 50
USER = int(os.environ.get("BENCH_USER_ID", "0"))

VISIBLE_CASE = """c.deleted_at IS NULL AND (c.confidentiality = 'normal' OR c.lead_id = %(user)s
    OR EXISTS (SELECT 1 FROM casework_casemember m WHERE m.case_id = c.id AND m.user_id = %(user)s))"""

CASE_ROW = f"""
SELECT c.id, c.reference, c.title, c.summary, c.status, c.priority, c.confidentiality, c.opened_on,
       c.closed_on, c.next_review_on, c.tags, c.lead_id, c.version, c.created_at, c.updated_at,
       (SELECT COALESCE(json_agg(json_build_object('id', s.id, 'person', s.person_id, 'role', s.role)
                                 ORDER BY s.role, s.id), '[]')
          FROM casework_casesubject s JOIN people_person p ON p.id = s.person_id AND p.deleted_at IS NULL
         WHERE s.case_id = c.id) AS subjects,
       ARRAY(SELECT m.user_id FROM casework_casemember m WHERE m.case_id = c.id ORDER BY m.user_id) AS team
  FROM casework_case c
 WHERE {VISIBLE_CASE}"""

CASES = CASE_ROW + " {where} ORDER BY c.opened_on DESC, c.id DESC LIMIT %(limit)s"

CASES_FILTERED = (
    CASE_ROW
    + """
   AND EXISTS (SELECT 1 FROM casework_involvement i WHERE i.case_id = c.id AND i.role = %(role)s)
   AND EXISTS (SELECT 1 FROM casework_statedrequest r WHERE r.case_id = c.id AND r.status = %(status)s)
 ORDER BY c.opened_on DESC, c.id DESC LIMIT %(limit)s"""
)

# Name search, top-k: candidates ranked in the search table alone (one GIN-indexed array per
# person), then access checked down the ranked list until the page is full (OFFSET 0 keeps
# the ranking a subquery whose order the join keeps). {match} and {rank}: see _people_sql.
PEOPLE = f"""
SELECT p.id, p.display_name, p.name_original, p.nationality, p.status, p.legal_status, p.sex,
       (SELECT json_agg(json_build_object('id', n.id, 'name', n.name, 'kind', n.kind, 'language', n.language)
                        ORDER BY n.id) FROM people_personname n WHERE n.person_id = p.id) AS names
  FROM (SELECT s.person_id, s.display_name, {{rank}} AS rank
          FROM people_personsearch s WHERE {{match}}
         ORDER BY 3 DESC, s.display_name, s.person_id OFFSET 0) r
  JOIN people_person p ON p.id = r.person_id
 WHERE p.deleted_at IS NULL
   AND (NOT EXISTS (SELECT 1 FROM casework_casesubject s WHERE s.person_id = p.id)
        OR EXISTS (SELECT 1 FROM casework_casesubject s JOIN casework_case c ON c.id = s.case_id
                    WHERE s.person_id = p.id AND {VISIBLE_CASE}))
 ORDER BY r.rank DESC, r.display_name, r.person_id
 LIMIT %(limit)s"""


def _people_sql(wanted) -> tuple[str, dict]:
    """PEOPLE for one query's keys (people.names.query_keys), ranked as Vigil ranks (people.querysets.NameRank)."""
    params = {"any": wanted.any_of}
    match = ["s.keys && %(any)s::varchar[]"]
    for number, words in enumerate(wanted.all_of_either):
        params[f"all{number}"] = list(words)
        match.append(f"s.keys @> %(all{number})s::varchar[]")
    weights = [(key, 1) for key in wanted.keys] + [(key, len(wanted.keys)) for key in wanted.exact]
    rank = []
    for number, (key, weight) in enumerate(weights):
        params[f"key{number}"] = [key]
        rank.append(f"(s.keys @> %(key{number})s::varchar[])::int * {weight}")
    return PEOPLE.format(match=" OR ".join(match), rank=" + ".join(rank) or "0"), params


EVENTS_SEARCH = f"""
SELECT e.id, e.case_id, e.occurred_on, e.occurred_on_precision, e.kind, e.title, e.description, e.place,
       e.country, e.sensitivity, e.version
  FROM events_event e JOIN casework_case c ON c.id = e.case_id
 WHERE e.search_vector @@ websearch_to_tsquery('english', %(q)s)
   AND e.deleted_at IS NULL AND e.sensitivity = 'normal' AND e.kind <> 'welfare_incident' AND {VISIBLE_CASE}
 ORDER BY COALESCE(e.occurred_on, '9999-12-31'::date), e.id LIMIT %(limit)s"""

CASE_DETAIL = CASE_ROW + " AND c.id = %(case)s"

# The merged timeline: events and request updates and position statements, each with its sources.
TIMELINE = f"""
WITH visible_case AS (SELECT c.id FROM casework_case c WHERE c.id = %(case)s AND {VISIBLE_CASE}),
entries AS (
  SELECT 'event' AS kind, e.id, e.occurred_on AS date, e.occurred_on_precision AS precision, 0 AS kind_order,
         e.title, e.description, e.kind AS subkind,
         (SELECT json_agg(json_build_object('id', ct.id, 'source', s.id, 'source_title', s.title,
                                            'confidence', ct.confidence) ORDER BY ct.id)
            FROM events_citation ct JOIN events_source s ON s.id = ct.source_id
           WHERE ct.event_id = e.id AND s.deleted_at IS NULL) AS sources
    FROM events_event e
   WHERE e.case_id IN (SELECT id FROM visible_case) AND e.deleted_at IS NULL
     AND e.sensitivity = 'normal' AND e.kind <> 'welfare_incident'
  UNION ALL
  SELECT 'request_update', u.id, u.occurred_on, u.occurred_on_precision, 1, r.summary, u.note, u.status, NULL
    FROM casework_requestupdate u JOIN casework_statedrequest r ON r.id = u.request_id
   WHERE r.case_id IN (SELECT id FROM visible_case) AND r.deleted_at IS NULL
  UNION ALL
  SELECT 'position', ps.id, ps.stated_on, ps.stated_on_precision, 2, g.name, ps.condition, ps.stance, NULL
    FROM casework_positionstatement ps JOIN casework_involvement i ON i.id = ps.involvement_id
    JOIN casework_government g ON g.id = i.government_id
   WHERE i.case_id IN (SELECT id FROM visible_case)
)
SELECT kind, id, date, precision, title, description, subkind, sources FROM entries
 ORDER BY date IS NULL, date, kind_order, id LIMIT %(limit)s"""

CREATE_EVENT = f"""
WITH new_event AS (
  INSERT INTO events_event (created_at, updated_at, occurred_on, occurred_on_precision, kind, title, description,
                            place, country, sensitivity, case_id, version, language, interpretation,
                            interpretation_confidence)
  SELECT now(), now(), %(occurred_on)s, 'day', %(kind)s, %(title)s, %(description)s, '', '', 'normal', c.id, 1,
         '', '', ''
    FROM casework_case c WHERE c.id = %(case)s AND {VISIBLE_CASE}
  RETURNING id, case_id, occurred_on, occurred_on_precision, kind, title, description, sensitivity, version
), cited AS (
  INSERT INTO events_citation (created_at, updated_at, event_id, source_id, locator, confidence, version)
  SELECT now(), now(), id, %(source)s, '', 'probable', 1 FROM new_event
)
SELECT * FROM new_event"""

_connection = None


def _cursor():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _connection.autocommit = True
    return _connection.cursor()


def _rows(sql: str, params: dict) -> list[dict]:
    with _cursor() as cursor:
        cursor.execute(sql, {"user": USER, "limit": PAGE, **params})
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _default(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def route(method: str, path: str, query: dict[str, str], body: bytes):
    """(status, payload) for one request."""
    parts = path.strip("/").split("/")
    if method == "GET" and parts == ["cases"]:
        where, params = "", {}
        if "after" in query:  # keyset: the page after (opened_on, id)
            opened_on, case_id = query["after"].split(",")
            where, params = (
                "AND (c.opened_on, c.id) < (%(opened_on)s, %(after_id)s)",
                {
                    "opened_on": opened_on,
                    "after_id": int(case_id),
                },
            )
        if "role" in query:
            return 200, {"results": _rows(CASES_FILTERED, {"role": query["role"], "status": query["status"]})}
        return 200, {"results": _rows(CASES.format(where=where), params)}
    if method == "GET" and parts == ["people"]:
        sql, params = _people_sql(query_keys(query["search"]))
        return 200, {"results": _rows(sql, params)}
    if method == "GET" and parts == ["events"]:
        return 200, {"results": _rows(EVENTS_SEARCH, {"q": query["search"]})}
    if method == "GET" and len(parts) == 2 and parts[0] == "cases":
        rows = _rows(CASE_DETAIL, {"case": int(parts[1])})
        return (200, rows[0]) if rows else (404, {"detail": "Not found."})
    if method == "GET" and len(parts) == 3 and parts[0] == "cases" and parts[2] == "timeline":
        limit = int(query.get("page_size", PAGE))
        return 200, {"results": _rows(TIMELINE, {"case": int(parts[1]), "limit": limit})}
    if method == "POST" and parts == ["events"]:
        data = json.loads(body)
        params = {key: data[key] for key in ("case", "occurred_on", "kind", "title", "description")}
        rows = _rows(CREATE_EVENT, {**params, "source": data["sources"][0]["source"]})
        return (201, rows[0]) if rows else (400, {"case": ["Invalid pk."]})
    return 404, {"detail": "Not found."}


def app(environ, start_response):
    query = {key: values[-1] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    status, payload = route(environ["REQUEST_METHOD"], environ["PATH_INFO"], query, body)
    data = json.dumps(payload, default=_default).encode()
    reason = {200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
