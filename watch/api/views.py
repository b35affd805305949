"""GET /api/v1/changes/?since=<cursor>: every change the token's user may see, in commit-safe order."""

from __future__ import annotations

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from watch.changes import Position, head, position_of, read_after
from watch.represent import represent, resources
from watch.retention import horizon

PAGE = 200


class ChangeFeedView(APIView):
    api_description = _(
        "The change feed (docs/watch.md): pass the ``cursor`` of the previous page as ``since``; an empty "
        "``changes`` list means caught up (ask again later with the same cursor). Each change is ``upsert`` "
        "(the record as the API shows it to you now) or ``delete`` (a tombstone: gone, or no longer yours to "
        "see).\n\nThe log keeps VIGIL_CHANGE_LOG_RETENTION_DAYS: a cursor from before that (an empty one too, "
        "once anything was deleted) answers 410 Gone with the feed's current ``cursor``: read the records "
        "again from the API's lists, then follow the feed from that cursor."
    )

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", OpenApiTypes.STR, description=_("The cursor of the previous page; empty: from the start.")
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                description=format_lazy(_("At most this many changes (1-{most})."), most=PAGE),
            ),
        ],
        responses={
            200: inline_serializer(
                "ChangePage",
                {
                    "changes": serializers.ListField(child=serializers.DictField()),
                    "cursor": serializers.CharField(),
                    "more": serializers.BooleanField(),
                },
            ),
            410: inline_serializer(
                "ChangeCursorExpired",
                {"detail": serializers.CharField(), "code": serializers.CharField(), "cursor": serializers.CharField()},
            ),
        },
    )
    def get(self, request):
        try:
            position = Position.decode(request.query_params.get("since", ""))
        except ValueError as error:
            raise ValidationError({"since": [str(error)]}) from None
        pruned_up_to = horizon()
        if position.seq < pruned_up_to:
            return Response(
                {
                    "detail": gettext(
                        "This cursor is older than the change log keeps (%(days)s days): changes after it were "
                        "deleted. Resync: read every record again from the API's lists, then follow this feed "
                        "from the cursor given here."
                    )
                    % {"days": settings.VIGIL_CHANGE_LOG_RETENTION_DAYS},
                    "code": "cursor_expired",
                    "cursor": Position(max(head().seq, pruned_up_to)).encode(),
                },
                status=410,
            )
        raw_limit = request.query_params.get("limit", str(PAGE))
        if not raw_limit.isascii() or not raw_limit.isdigit() or not 1 <= int(raw_limit) <= PAGE:
            raise ValidationError({"limit": [gettext("A whole number from 1 to %(most)s.") % {"most": PAGE}]})
        limit = int(raw_limit)
        changes = read_after(position, limit=limit, tables=list(resources()))
        entries = [
            {**entry, "cursor": position_of(change).encode()}
            for change, entry in represent(changes, user=request.user, request=request)
        ]
        last = position_of(changes[-1]) if changes else position
        return Response({"changes": entries, "cursor": last.encode(), "more": len(changes) == limit})
