"""A time budget for reading: ``with statement_budget(3): ...`` runs the
queries inside with PostgreSQL's ``statement_timeout`` at 3 seconds.

It is a savepoint that is always rolled back, which also undoes the setting
(``SET LOCAL`` belongs to the savepoint): so only for reads. A query that
takes longer is cancelled by PostgreSQL and ``QueryCanceled`` is raised; the
request's transaction goes on with the connection's own limit
(``DATABASE_STATEMENT_TIMEOUT``).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import OperationalError, connection, transaction

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout


class QueryCanceled(Exception):
    """A query ran out of its time budget."""


@contextmanager
def statement_budget(seconds: float):
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [f"{int(seconds * 1000)}ms"])
            yield
            transaction.set_rollback(True)  # reads only: rolling back undoes the setting, nothing else
    except OperationalError as error:
        # psycopg 2 names the SQLSTATE pgcode, psycopg 3 sqlstate.
        cause = error.__cause__
        if (getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)) == QUERY_CANCELED:
            raise QueryCanceled(str(error)) from error
        raise
