"""No lost updates over HTTP: strong ETags and ``If-Match`` (RFC 9110 §13.1.1).

Every object answer carries ``ETag: "<model>-<id>-v<version>"``. A PUT, PATCH or
DELETE of an existing object must send that tag back in ``If-Match``:

- no ``If-Match`` (or ``*``, which would match any version): 428, nothing done;
- a tag that is not the object's current one: 412, nothing done, with what
  others changed since the version the tag names;
- the current tag: the write goes ahead, conditional on that version in the
  database itself (``core.internals.VersionCheckedUpdate`` for a change, a row lock for a
  delete), so a write landing between this check and ours still ends in 412.

The ``version`` field of a body is read-only and never consulted.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext, gettext_lazy
from rest_framework.exceptions import APIException

from core.exposure import hidden_from
from core.history import changes_since
from core.models import RecordChanged

UNSAFE = frozenset({"PUT", "PATCH", "DELETE"})
STRONG_TAG = re.compile(r'(W/)?"([^"]*)"')


def etag_of(model, pk, version) -> str:
    """The strong entity tag of one version of an object: ``"casework.case-12-v3"``."""
    return f'"{model._meta.label_lower}-{pk}-v{version}"'


def etag(obj) -> str:
    return etag_of(type(obj), obj.pk, obj.version)


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "precondition_required"
    default_detail = gettext_lazy(
        "This change needs an If-Match header with the object's ETag: GET the object, "
        'then send its ETag back (If-Match: "casework.case-12-v3"). "*" is not accepted.'
    )


class PreconditionFailed(APIException):
    status_code = 412
    default_code = "precondition_failed"

    def __init__(self, changes: list[str] | None = None):
        detail = gettext(
            "Someone else changed this record after the version in your If-Match: nothing of yours was saved."
        )
        if changes:
            detail += " " + gettext("Since your version: %(changes)s.") % {"changes": "; ".join(changes)}
        super().__init__(detail + " " + gettext("GET it again (for its new ETag) and retry."))


def if_match_version(request, obj) -> int:
    """The version of ``obj`` that ``request``'s If-Match names, if it is the
    current one; otherwise 428 (no If-Match) or 412 (any other tag)."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header or header == "*":
        raise PreconditionRequired()
    # Strong comparison: a weak tag (W/"…") never matches; nor does another object's tag.
    ours = re.compile(rf"{re.escape(type(obj)._meta.label_lower)}-{obj.pk}-v([0-9]{{1,9}})")
    versions = [
        int(match[1]) for weak, value in STRONG_TAG.findall(header) if not weak and (match := ours.fullmatch(value))
    ]
    if obj.version in versions:
        return obj.version
    older = [version for version in versions if version < obj.version]
    if not older:
        raise PreconditionFailed()
    raise PreconditionFailed(changes_since(obj, max(older), hidden=hidden_from(type(obj), request.user)))


def lock_version(obj) -> None:
    """Hold ``obj``'s row, at the version it was read at, until the request's
    transaction ends: RecordChanged (412) if it has moved on meanwhile."""
    rows = type(obj)._base_manager.select_for_update().filter(pk=obj.pk, version=obj.version)
    if not rows.values_list("pk", flat=True):
        raise RecordChanged(obj, obj.version)


class ETagMixin:
    """No lost updates (core/api/preconditions.py): every object answer (read,
    create, change) carries a strong ``ETag``; a PUT, PATCH or DELETE is done
    only with ``If-Match`` naming the object's current version (428 without,
    412 when stale), and the save or delete is conditional on that version."""

    OBJECT_ACTIONS = frozenset({"retrieve", "create", "update", "partial_update"})

    def check_object_permissions(self, request, obj):
        # Every way to fetch the object for a request ends here (CaseViewSet's lookup
        # by reference too), after the 404 and 403 checks: who may not, learns nothing more.
        super().check_object_permissions(request, obj)
        if request.method in UNSAFE:
            obj.version = if_match_version(request, obj)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            self.action in self.OBJECT_ACTIONS
            and 200 <= response.status_code < 300
            and isinstance(data, dict)
            and "version" in data
        ):
            response["ETag"] = etag_of(self.queryset.model, data["id"], data["version"])
        return response
