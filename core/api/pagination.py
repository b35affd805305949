"""Pages: numbered for most lists, a cursor where deep pages must cost the same as the first.

Every keyset-paginated list (cases, people, events, a case's timeline) writes
and reads its cursor with one codec, ``encode_cursor``/``decode_cursor``: the
key of the row a page starts after (or ends before), as URL-safe base64 JSON.
Anything else given as a cursor is a 400, never page 1."""

from __future__ import annotations

import base64
import binascii
import json

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class NumberedPagination(PageNumberPagination):
    """``?page=2&page_size=100``: 50 a page unless asked, never more than 500."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


def invalid_cursor() -> exceptions.ValidationError:
    """A cursor Vigil did not make (typed, truncated, forged): 400, never page 1."""
    return exceptions.ValidationError(
        {"cursor": [gettext("Invalid cursor: follow the next or previous link of a page.")]}
    )


def encode_cursor(values: tuple | list, *, before: bool = False) -> str:
    """A keyset cursor: the key of the row a page starts after (or, ``before``, ends before)."""
    return base64.urlsafe_b64encode(json.dumps([int(before), *values]).encode()).decode()


def decode_cursor(cursor: str, size: int) -> tuple[bool, list]:
    """The (before, key values) of a cursor made by ``encode_cursor`` with ``size`` values; 400 otherwise."""
    try:
        before, *values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise invalid_cursor() from None
    if len(values) != size or not all(isinstance(value, str | int) for value in values):
        raise invalid_cursor()
    return bool(before), values


class LinkPagination(BasePagination):
    """Pages linked by ``next`` and ``previous`` (no count, no page numbers);
    ``?page_size=`` up to 500. Subclasses set ``page``, ``has_next`` and
    ``has_previous`` and make each link from a row (``_cursor``)."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"

    def get_page_size(self, request) -> int:
        try:
            size = int(request.query_params.get(self.page_size_query_param, self.page_size))
        except ValueError:
            return self.page_size
        return min(max(size, 1), self.max_page_size)

    def _cursor(self, row, before: bool) -> str:
        raise NotImplementedError

    def _link(self, row, before: bool) -> str:
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self._cursor(row, before))

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
                "description": f"Rows per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
                "schema": {"type": "integer"},
            },
        ]


class KeysetPagination(LinkPagination):
    """Keyset pages for lists that can be millions of rows deep: ``next`` and
    ``previous`` are links holding the key (``?ordering`` field, then id) of
    the row a page starts after, so page 10,000 is one index range scan like
    page 1, and no ``COUNT(*)`` is made. ``?page_size=`` up to 500.

    The view's ``ordering`` is the default key (e.g. ``("-opened_on", "-id")``);
    ``?ordering=`` may name one of ``ordering_fields`` (never null), with id
    breaking ties. When the view's ``is_ranked(request)`` says the rows are in
    a search's order (best match first), pages go by position instead.
    """

    def get_keys(self, request, view) -> list[str]:
        wanted = request.query_params.get("ordering", "").split(",")[0].strip()
        if wanted.lstrip("-") in getattr(view, "ordering_fields", ()) and wanted.lstrip("-") != "id":
            return [wanted, "-id" if wanted.startswith("-") else "id"]
        return list(view.ordering)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        cursor = request.query_params.get(self.cursor_query_param)
        self.offset = None
        if getattr(view, "is_ranked", lambda request: False)(request):
            return self._paginate_ranked(queryset, cursor, size)
        self.keys = self.get_keys(request, view)
        before, values = decode_cursor(cursor, len(self.keys)) if cursor else (False, None)
        descending = self.keys[0].startswith("-")
        fields = [key.lstrip("-") for key in self.keys]
        ordering = self.keys if not before else [key[1:] if key.startswith("-") else f"-{key}" for key in self.keys]
        if values is not None:
            later = descending != before  # the rows wanted have smaller keys
            first, rest = fields[0], dict(zip(fields[1:], values[1:], strict=True))
            op = "lt" if later else "gt"
            # (a, id) < (x, y) written so the planner walks the (a, id) index from x:
            # a <= x AND (a < x OR (a = x AND id < y)).
            try:
                queryset = queryset.filter(
                    Q(**{f"{first}__{op}e": values[0]})
                    & (
                        Q(**{f"{first}__{op}": values[0]})
                        | Q(**{first: values[0], **{f"{k}__{op}": v for k, v in rest.items()}})
                    )
                )
            except (ValidationError, ValueError, TypeError):  # a hand-made cursor with a value of the wrong type
                raise invalid_cursor() from None
        rows = list(queryset.order_by(*ordering)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if before:
            rows.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_next, self.has_previous = more, values is not None
        self.fields, self.page = fields, rows
        return rows

    def _paginate_ranked(self, queryset, cursor: str | None, size: int) -> list:
        """Search results stay in the search's order (best match first), paged by
        position: a search narrows the rows to a few pages."""
        self.offset = decode_cursor(cursor, 1)[1][0] if cursor else 0
        if not isinstance(self.offset, int) or self.offset < 0:
            raise invalid_cursor()
        self.size = size
        rows = list(queryset[self.offset : self.offset + size + 1])
        self.has_next, self.has_previous = len(rows) > size, self.offset > 0
        self.page = rows[:size]
        return self.page

    def _key(self, row) -> list:
        values = [getattr(row, field) for field in self.fields]
        return [value.isoformat() if hasattr(value, "isoformat") else value for value in values]

    def _cursor(self, row, before: bool) -> str:
        if self.offset is not None:  # ranked: the position of the next (or previous) page
            return encode_cursor([max(self.offset - self.size, 0) if before else self.offset + self.size])
        return encode_cursor(self._key(row), before=before)
