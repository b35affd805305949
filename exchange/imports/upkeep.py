"""What the database's autovacuum does, done by an import between its chunks, which outpace it.

An import adds thousands of people a minute. Two things then go stale long
before autovacuum comes by (and never, where it is off):

- the GIN indexes' pending lists (name keys): rows inserted go to a list every
  lookup reads whole, up to 4 MB; a chunk's duplicate-candidate lookups read it
  once per row (5 ms a row at 7,000 people instead of 0.02 ms), so it is merged
  into the index after each chunk (``gin_clean_pending_list``);
- the planner's statistics: a table it believes empty is read whole for every
  row of a join (the candidate lookup compared every row with every person: 2.5 s
  a chunk at 7,000 people, growing with them), so a table the import has changed
  by a fifth since it was last analysed is analysed again (ANALYZE samples at most
  30,000 rows: a fraction of a second, a few times in an import).
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

#: The tables an import writes that its own lookups read (exchange/imports/lookups.py, people.duplicates).
TABLES = (
    "people_person",
    "people_personname",
    "people_personidentifier",
    "people_detention",
    "people_personsearch",
    "casework_case",
    "casework_casesubject",
    "casework_statedrequest",
    "casework_countedrequest",
    "casework_counteddetainee",
)
#: Analysed again once changed by this share of its rows (and at least ``ANALYZE_MIN_ROWS``) since the last time.
ANALYZE_SHARE, ANALYZE_MIN_ROWS = 0.2, 500


def import_upkeep() -> None:
    """Merge the pending lists of the GIN indexes on ``TABLES``, and analyse those changed a lot.
    Skipped, with a warning in the log, where the database user may not (it must own the tables)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _upkeep(cursor)
    except DatabaseError as error:
        logger.warning("Import upkeep skipped: %s", error)


def _upkeep(cursor) -> None:
    cursor.execute(
        "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid "
        "JOIN pg_am a ON a.oid = x.relam WHERE a.amname = 'gin' AND i.indrelid = ANY(%s::regclass[])",
        [list(TABLES)],
    )
    cursor.execute(
        "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
        "WHERE s.relid = ANY(%s::regclass[]) AND s.n_mod_since_analyze > greatest(%s, %s * c.reltuples)",
        [list(TABLES), ANALYZE_MIN_ROWS, ANALYZE_SHARE],
    )
    stale = [name for (name,) in cursor.fetchall()]
    for name in stale:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
