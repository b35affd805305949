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
    gone = _tombstones(changes, current, user)
    entries = []
    for change in changes:
        name, _viewset = resources()[change.table]
        data = current.get((change.table, change.object_id))
        entry = {"type": name, "id": change.object_id, "at": change.at.isoformat()}
        if data is not None:
            entry["op"], entry["data"] = "upsert", data
        elif (change.table, change.object_id) in gone:
            entry["op"] = "delete"
        else:
            continue  # exists, but not for this user: not even its id is said
        entries.append((change, entry))
    return entries


def _accessible(model, user):
    """The model's rows the user's access rule allows, in the bin or not."""
    queryset = model._base_manager.all()
    manager_queryset = model._default_manager.get_queryset()
    return queryset.filter(manager_queryset.access(user)) if hasattr(manager_queryset, "access") else queryset


def _tombstones(changes, current, user) -> set[tuple[str, int]]:
    """The changed records to tombstone: deleted into the bin from what the user
    may see, or gone for good from a case they may see (or from no case). A
    record that exists but the user may not see gets no entry at all: its id
    would tell them it exists."""
    from casework.models import Case

    wanted = defaultdict(set)
    for change in changes:
        if (change.table, change.object_id) not in current:
            wanted[change.table].add(change.object_id)
    tombstones = set()
    case_ids = {change.case_id for change in changes if change.case_id}
    visible_cases = set(_accessible(Case, user).filter(pk__in=case_ids).values_list("pk", flat=True))
    case_of = {(change.table, change.object_id): change.case_id for change in changes}
    for table, ids in wanted.items():
        model = resources()[table][1].queryset.model
        existing = set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        binned = set(_accessible(model, user).filter(pk__in=existing).values_list("pk", flat=True))
        for pk in ids:
            case_id = case_of[(table, pk)]
            if pk in binned or (pk not in existing and (case_id is None or case_id in visible_cases)):
                tombstones.add((table, pk))
    return tombstones
