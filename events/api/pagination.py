"""Keyset pages over a case's timeline, found and built in SQL (events.timeline.timeline_rows)."""

from __future__ import annotations

import datetime

from core.api.pagination import LinkPagination, decode_cursor, encode_cursor, invalid_cursor
from events.timeline import TimelinePosition, timeline_rows


class TimelineCursorPagination(LinkPagination):
    """Keyset pages on each entry's position (date, kind, id): ``next`` and
    ``previous`` are links holding the position (the one cursor codec of
    core.api.pagination); ``?page_size=`` up to 500."""

    def paginate_timeline(self, case, request, **filters) -> list:
        self.request = request
        size = self.get_page_size(request)
        cursor = request.query_params.get(self.cursor_query_param)
        before, position = False, None
        if cursor:
            before, (date, kind, pk) = decode_cursor(cursor, 3)
            try:
                position = TimelinePosition(datetime.date.fromisoformat(date), int(kind), int(pk))
            except (TypeError, ValueError):
                raise invalid_cursor() from None
        page = timeline_rows(
            case,
            user=request.user,
            size=size,
            after=None if before else position,
            before=position if before else None,
            **filters,
        )
        self.page, self.has_previous, self.has_next = page.entries, page.has_earlier, page.has_later
        return page.entries

    def _cursor(self, entry, before: bool) -> str:
        position = entry.position
        return encode_cursor([position.date.isoformat(), position.kind, position.id], before=before)
