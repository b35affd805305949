"""The API's throttles, counting anonymous callers by core.client_ip (never a
client-chosen X-Forwarded-For hop).

With Redis (``REDIS_URL``) the counts are DRF's own, in the shared cache. Without
it the shared cache is a PostgreSQL table, where DRF's way (read the list of
the caller's request times, then ``cache.set`` it: a savepoint, a ``COUNT(*)``
of the whole cache table to decide on culling, the key looked up, written, the
savepoint released) costs six statements a request and grows with the table.
There the count is one statement on a table of its own (``vigil_throttle``, core
migration 0009): a sliding-window counter, the hits of the current window and
of the one before, the latter weighted by how much of it still lies within the
last ``duration`` seconds (the estimate Cloudflare and nginx-style limiters use).
A request the throttle refuses is not counted: DRF rolls the request's
transaction back on any API error, the 429 included (``ATOMIC_REQUESTS``).
"""

from __future__ import annotations

import math

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle, UserRateThrottle

from core.client_ip import client_ip

#: Count one request of ``key`` in window ``slot`` (``seconds`` long): this window's hits and the last one's.
_COUNT_SQL = """
INSERT INTO vigil_throttle AS t (key, seconds, slot, hits, previous) VALUES (%s, %s, %s, 1, 0)
ON CONFLICT (key) DO UPDATE SET
    previous = CASE WHEN t.slot = EXCLUDED.slot THEN t.previous WHEN t.slot = EXCLUDED.slot - 1 THEN t.hits ELSE 0 END,
    hits = CASE WHEN t.slot = EXCLUDED.slot THEN t.hits + 1 ELSE 1 END,
    seconds = EXCLUDED.seconds,
    slot = EXCLUDED.slot
RETURNING hits, previous
"""


def in_database() -> bool:
    """Whether the throttles' cache is the PostgreSQL table (no ``REDIS_URL``)."""
    return isinstance(caches["default"], DatabaseCache)


def forget_old_counts() -> int:
    """Delete the counts of callers quiet for two windows (``watch.prune`` calls it hourly)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM vigil_throttle WHERE (slot + 2) * seconds < extract(epoch FROM now())")
        return cursor.rowcount


class CountedInOneStatement(SimpleRateThrottle):
    """DRF's ``allow_request`` and ``wait`` on the one-statement counter, when the cache is the database.
    Listed after DRF's User/ScopedRateThrottle, whose ``allow_request`` (setting the scope's rate) runs first."""

    def allow_request(self, request, view):
        if self.rate is None or not in_database():
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        slot = int(self.now // self.duration)
        with connection.cursor() as cursor:
            cursor.execute(_COUNT_SQL, [self.key, self.duration, slot])
            hits, previous = cursor.fetchone()
        self.into_window = self.now - slot * self.duration
        self.hits, self.previous = hits, previous
        return self._estimate(self.into_window) <= self.num_requests

    def _estimate(self, into_window: float) -> float:
        """The requests made in the last ``duration`` seconds, about: all of this window's, and
        the last window's in the share of it still within reach."""
        return self.hits + self.previous * max(0.0, 1 - into_window / self.duration)

    def wait(self):
        if not in_database() or not hasattr(self, "hits"):
            return super().wait()
        if self.hits > self.num_requests:  # this window alone is full: the next one
            return math.ceil(round(self.duration - self.into_window, 6))
        # the last window's share must shrink until this request fits:
        # hits + previous * (1 - t / duration) <= num_requests
        needed = 1 - (self.num_requests - self.hits) / self.previous
        return max(1, math.ceil(round(needed * self.duration - self.into_window, 6)))


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request) or "unknown"


class UserThrottle(ClientAddressMixin, UserRateThrottle, CountedInOneStatement):
    """Each user's request rate (``API_USER_THROTTLE``)."""


class ScopedThrottle(ClientAddressMixin, ScopedRateThrottle, CountedInOneStatement):
    """A view's own rate, per user or, for anonymous callers, per client address."""


__all__ = ["ScopedThrottle", "UserThrottle", "forget_old_counts", "in_database"]
