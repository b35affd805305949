"""The dashboard's numbered pages over lists that can hold a million rows.

Django's Paginator counts every matching row (``COUNT(*)``) to number the
pages: at a million cases that is seconds on every page. This one counts at
most ``CAP`` rows (``COUNT(*)`` over ``LIMIT CAP + 1``), so the cost is
bounded, and says "10,000+" beyond: nobody pages that far; they filter.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 10_000


class CappedPaginator(Paginator):
    capped = False

    @cached_property
    def count(self) -> int:
        found = self.object_list[: CAP + 1].count()
        self.capped = found > CAP
        return min(found, CAP)

    @property
    def count_display(self) -> str:
        """``1,234``, or ``10,000+`` past the cap."""
        count = self.count
        return f"{count:,}+" if self.capped else f"{count:,}"
