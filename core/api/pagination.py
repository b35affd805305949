"""Pages: numbered for most lists, a cursor where deep pages must cost the same as the first."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination, PageNumberPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class NumberedPagination(PageNumberPagination):
    """``?page=2&page_size=100``: 50 a page unless asked, never more than 500."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class DateCursorPagination(CursorPagination):
    """Keyset pages over ``sort_date`` (the date, unknown dates last) then id.

    The viewset annotates ``sort_date``; the cursor remembers the last date seen,
    so page 100 is one index range scan like page 1.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("sort_date", "id")
