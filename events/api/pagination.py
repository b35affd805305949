"""Cursor pages over a case's timeline (a list of TimelineEntry, not a queryset)."""

from __future__ import annotations

import base64
import binascii
import datetime
import json

from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


def _encode(sort_key: tuple, before: bool) -> str:
    unknown, date, kind, pk = sort_key
    raw = json.dumps([int(before), unknown, date.isoformat(), kind, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str) -> tuple[bool, tuple]:
    try:
        before, unknown, date, kind, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return bool(before), (int(unknown), datetime.date.fromisoformat(date), int(kind), int(pk))
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise NotFound("Invalid cursor.") from None


class TimelineCursorPagination(BasePagination):
    """Keyset pages on each entry's sort key (date, kind, id): ``next`` and
    ``previous`` are links; ``?page_size=`` up to 500."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def page_size(self, request) -> int:
        try:
            size = int(request.query_params.get(self.page_size_query_param, DEFAULT_PAGE_SIZE))
        except ValueError:
            return DEFAULT_PAGE_SIZE
        return min(max(size, 1), MAX_PAGE_SIZE)

    def paginate_list(self, entries: list, request) -> list:
        self.request = request
        size = self.page_size(request)
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

    def _link(self, entry, before: bool) -> str:
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, _encode(entry.sort_key, before))

    def get_paginated_response(self, data):
        next_link = self._link(self.page[-1], before=False) if self.page and self.has_next else None
        previous_link = None
        if self.has_previous:
            if self.page:
                previous_link = self._link(self.page[0], before=True)
            else:
                previous_link = remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return Response({"next": next_link, "previous": previous_link, "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The pagination cursor value (from next/previous).",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Entries per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
                "schema": {"type": "integer"},
            },
        ]
