"""The home page's figures: the counters kept by the database, plus the user's own restricted part.

``HomeCount`` (casework/models/counts.py) holds, kept exact by triggers, how
many cases, detainees and requests there are by status, split into what every
signed-in user sees ("open") and what only a restricted case's team sees. A
user who sees every case reads both; anyone else reads the open counts and
adds, counted live, what of the rest they may see: the rows of the restricted
cases they lead or are on the team of (a handful, found through the lead and
team indexes). Four queries whatever the number of cases; each figure equals
``COUNT(*)`` over the same ``visible_to(user)`` rows (tests/casework/test_home_counts.py).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone

from casework.models import CaseStatus, HomeCount, RequestStatus
from core.access import sees_every_case
from people.models import PersonStatus


@dataclass
class HomeFigures:
    case_counts: list[tuple[str, str, int]]
    detainee_counts: list[tuple[str, str, int]]
    request_counts: list[tuple[str, str, int]]
    stalled_count: int


def _listed(counts: Counter, choices) -> list[tuple[str, str, int]]:
    """(value, label, count) for every choice with at least one row, in the choices' order."""
    return [(value, label, counts[value]) for value, label in choices if counts.get(value)]


def _stalled(status, minor, moved_on, cutoff: datetime.date) -> bool:
    """The stalled rule (StatedRequestQuerySet.stalled) on a request's count row."""
    return not minor and (status == RequestStatus.STALLED or (moved_on is not None and moved_on < cutoff))


#: What the user sees beyond the open counts, in one statement: the restricted cases they lead or are on
#: the team of ("mine", the bin included: a person is visible through any case), then of the restricted
#: counts (``open`` false) the cases, detainees and requests they may see. The conditions are the access
#: rule (casework.access: a case of normal confidentiality or one of "mine"; a person in such a case, or
#: recorded by the user and in no case) written for the rows the counters left out; the bin is already
#: left out of the counted rows. Each part starts from "mine" (MATERIALIZED: read once, through the lead
#: and team indexes), so it reads what the user's own cases hold, never the whole caseload. A request of
#: one of "mine" made by one of that case's people (nearly all) is visible by that alone: those are
#: counted from the counted rows without a join; the few others are checked one by one.
MINE_SQL = """
WITH mine AS MATERIALIZED (
    SELECT id FROM casework_case WHERE lead_id = %(user)s AND confidentiality = 'restricted'
    UNION
    SELECT m.case_id FROM casework_casemember m JOIN casework_case c ON c.id = m.case_id
    WHERE m.user_id = %(user)s AND c.confidentiality = 'restricted'
),
-- Requests left to check one by one: all but those of "mine" made by one of their case's people
-- (counted straight from the counted rows, below): a few, found through the people of "mine".
candidates AS MATERIALIZED (
    SELECT q.request_id AS id FROM casework_countedrequest q
    WHERE q.case_id IN (SELECT id FROM mine) AND NOT q.subject
    UNION
    SELECT r.id FROM casework_statedrequest r JOIN casework_casesubject s ON s.person_id = r.person_id
    WHERE s.case_id IN (SELECT id FROM mine) AND r.case_id NOT IN (SELECT id FROM mine)
    UNION
    SELECT r.id FROM casework_statedrequest r JOIN people_person p ON p.id = r.person_id
    WHERE p.created_by_id = %(user)s
)
SELECT 'case', c.status, false, NULL::date, count(*) FROM casework_case c
WHERE c.id IN (SELECT id FROM mine) AND c.deleted_at IS NULL
GROUP BY c.status
UNION ALL
SELECT 'detainee', d.status, false, NULL::date, count(*) FROM casework_counteddetainee d
WHERE NOT d.open AND d.person_id IN (
    SELECT s.person_id FROM casework_casesubject s JOIN casework_case c ON c.id = s.case_id
    WHERE s.case_id IN (SELECT id FROM mine) AND s.role = 'detainee' AND c.deleted_at IS NULL)
GROUP BY d.status
UNION ALL
SELECT 'request', q.status, q.minor, q.moved_on, count(*) FROM casework_countedrequest q
WHERE NOT q.open AND q.case_id IN (SELECT id FROM mine) AND q.subject
GROUP BY q.status, q.minor, q.moved_on
UNION ALL
SELECT 'request', q.status, q.minor, q.moved_on, count(*) FROM casework_countedrequest q
JOIN casework_statedrequest r ON r.id = q.request_id
JOIN casework_case c ON c.id = r.case_id
JOIN people_person p ON p.id = r.person_id
WHERE NOT q.open AND q.request_id IN (SELECT id FROM candidates)
  AND NOT (q.case_id IN (SELECT id FROM mine) AND q.subject)
  AND (c.confidentiality = 'normal' OR c.id IN (SELECT id FROM mine))
  AND (EXISTS (SELECT 1 FROM casework_casesubject s JOIN casework_case c2 ON c2.id = s.case_id
               WHERE s.person_id = r.person_id AND (c2.confidentiality = 'normal' OR c2.id IN (SELECT id FROM mine)))
       OR (p.created_by_id = %(user)s AND NOT EXISTS (
               SELECT 1 FROM casework_casesubject s WHERE s.person_id = r.person_id)))
GROUP BY q.status, q.minor, q.moved_on
"""


def home_figures(user, *, today: datetime.date | None = None, days: int | None = None) -> HomeFigures:
    """Cases, detainees and requests by status, and the stalled requests, that ``user`` may see."""
    today = today or timezone.localdate()
    days = settings.VIGIL_STALLED_AFTER_DAYS if days is None else days
    cutoff = today - datetime.timedelta(days=days)
    everything = sees_every_case(user)
    figures: dict[str, Counter] = {"case": Counter(), "detainee": Counter(), "request": Counter()}
    stalled = 0
    # One read of the counters: the totals by status, and the requests stalled by time, summed over the
    # months before the cutoff's month and that month's days before the cutoff (counting_sql.REQUEST_COUNTS).
    month = cutoff.replace(day=1)
    rows = HomeCount.objects.filter(
        Q(figure__in=list(figures))
        | Q(figure="idle-mon", status="", minor=False, moved_on__lt=month)
        | Q(figure="idle-day", status="", minor=False, moved_on__gte=month, moved_on__lt=cutoff)
    )
    for figure, status, minor, n in (
        (rows if everything else rows.filter(open=True))
        .values_list("figure", "status", "minor")
        .annotate(total=Sum("n"))
        .order_by()
    ):
        if figure in figures:
            figures[figure][status] += n
        if figure.startswith("idle-") or (figure == "request" and _stalled(status, minor, None, cutoff)):
            stalled += n
    if not everything and user.is_authenticated and user.is_active:
        with connection.cursor() as cursor:
            cursor.execute(MINE_SQL, {"user": user.pk})
            for figure, status, minor, moved_on, n in cursor.fetchall():
                figures[figure][status] += n
                if figure == "request" and _stalled(status, minor, moved_on, cutoff):
                    stalled += n
    return HomeFigures(
        case_counts=_listed(figures["case"], CaseStatus.choices),
        detainee_counts=_listed(figures["detainee"], PersonStatus.choices),
        request_counts=_listed(figures["request"], RequestStatus.choices),
        stalled_count=stalled,
    )
