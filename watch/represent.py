"""A changed record as the API shows it, to a given user.

The change feed and the webhooks reuse each resource's viewset: its queryset
(``visible_to`` the user, with its select/prefetch) and its serializer (the
same fields and sensitive rule as ``/api/v1/<resource>/``). A record that no
longer exists, or that the user may no longer see, is a tombstone: its type and
id, nothing else.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from django.http import HttpRequest
from rest_framework.request import Request


@functools.cache
def resources() -> dict[str, tuple[str, type]]:
    """{db table: (API resource name, viewset)} for every routed API resource."""
    from casework.api.urls import router as casework_router
    from events.api.urls import router as events_router
    from people.api.urls import router as people_router

    found = {}
    for router in (people_router, casework_router, events_router):
        for prefix, viewset, _basename in router.registry:
            model = viewset.queryset.model
            found.setdefault(model._meta.db_table, (prefix, viewset))
    return found


def _api_request(user, request: Request | None) -> Request:
    if request is not None:
        return request
    from urllib.parse import urlsplit

    from django.conf import settings

    base = urlsplit(settings.VIGIL_BASE_URL)  # links in a webhook's body point at Vigil's public address
    raw = HttpRequest()
    raw.method = "GET"
    raw.META["HTTP_HOST"] = base.netloc
    raw.META["wsgi.url_scheme"] = base.scheme
    api_request = Request(raw)
    api_request.user = user
    return api_request


def _may_view(user, table: str) -> bool:
    model = resources()[table][1].queryset.model
    return user.is_active and user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


def represent(changes, *, user, request: Request | None = None) -> list[dict]:
    """(change, entry) for each change of a resource the user may read, in order: ``upsert`` with the record's
    current representation, or ``delete`` (a tombstone)."""
    api_request = _api_request(user, request)
    readable = {table for table in resources() if _may_view(user, table)}
    changes = [change for change in changes if change.table in readable]
    by_table = defaultdict(set)
    for change in changes:
        if change.table in resources():
            by_table[change.table].add(change.object_id)
    current: dict[tuple[str, int], dict] = {}
    for table, ids in by_table.items():
        _name, viewset_class = resources()[table]
        view = viewset_class()
        view.request, view.format_kwarg, view.kwargs, view.action = api_request, None, {}, "list"
        view.args = ()
        objects = list(view.get_queryset().filter(pk__in=ids))
        serializer = view.get_serializer(objects, many=True)
        for obj, data in zip(objects, serializer.data, strict=True):
            current[(table, obj.pk)] = data
    entries = []
    for change in changes:
        if change.table not in resources():
            continue
        name, _viewset = resources()[change.table]
        data = current.get((change.table, change.object_id))
        entry = {"type": name, "id": change.object_id, "at": change.at.isoformat()}
        if data is None:
            entry["op"] = "delete"
        else:
            entry["op"], entry["data"] = "upsert", data
        entries.append((change, entry))
    return entries
