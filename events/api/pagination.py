"""Cursor pages over a case's timeline (a list of TimelineEntry, not a queryset)."""

from __future__ import annotations

import base64
import binascii
import datetime
import json

from core.api.pagination import LinkPagination, invalid_cursor


def _encode(sort_key: tuple, before: bool) -> str:
    unknown, date, kind, pk = sort_key
    raw = json.dumps([int(before), unknown, date.isoformat(), kind, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str) -> tuple[bool, tuple]:
    try:
        before, unknown, date, kind, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return bool(before), (int(unknown), datetime.date.fromisoformat(date), int(kind), int(pk))
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise invalid_cursor() from None


class TimelineCursorPagination(LinkPagination):
    """Keyset pages on each entry's sort key (date, kind, id): ``next`` and
    ``previous`` are links; ``?page_size=`` up to 500."""

    def paginate_list(self, entries: list, request) -> list:
        self.request = request
        size = self.get_page_size(request)
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor:
            before, key = _decode(cursor)
        else:
            before, key = False, None
        if before:
            earlier = [entry for entry in entries if entry.sort_key < key]
            page = earlier[-size:]
            self.has_previous, self.has_next = len(earlier) > size, True
        else:
            later = entries if key is None else [entry for entry in entries if entry.sort_key > key]
            page = later[:size]
            self.has_next, self.has_previous = len(later) > size, key is not None
        self.page = page
        return page

    def _cursor(self, entry, before: bool) -> str:
        return _encode(entry.sort_key, before)
