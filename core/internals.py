"""Every use of Django's, DRF's and drf-spectacular's private internals, in one place.

Vigil uses public API everywhere else. What is here has no public equivalent
that does the same work in the same number of queries; each is named once,
documented with what it relies on, and pinned by tests/project/test_internals.py,
which fails loudly (naming the internal) when an upgrade changes it. After an
upgrade of Django, DRF or drf-spectacular, run that file first.
"""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet


class VersionCheckedUpdate(models.Model):
    """No lost updates: ``save()`` of an existing row applies only if the row is still at
    the version this writer read (``self.version``); the check and the write are one
    statement (Django's ``Model._do_update``, the UPDATE of ``save()``, given the extra
    ``version`` condition), so of two concurrent writers exactly one wins."""

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        seen = self.version
        updated = super()._do_update(base_qs.filter(version=seen), using, pk_val, values, update_fields, forced_update)
        if updated:
            self.version = seen + 1  # what the bump_version trigger wrote
            return True
        if base_qs.filter(pk=pk_val).exists():
            raise self.changed_error(seen)
        return False

    def changed_error(self, seen: int) -> Exception:
        """The exception of a refused write (core.models.VigilModel: RecordChanged)."""
        raise NotImplementedError


def compiled(queryset: QuerySet) -> tuple[str, tuple]:
    """The SQL and parameters of ``queryset`` (``Query.sql_with_params``), to be used as a
    subquery of a statement the ORM cannot write (an ``INSERT … SELECT``)."""
    return queryset.query.sql_with_params()


def set_prefetched(instance: models.Model, **related: list) -> None:
    """Give ``instance`` its related lists as ``prefetch_related`` would have
    (``_prefetched_objects_cache``, added to what it holds): ``instance.people.all()``
    then reads no row."""
    instance.__dict__.setdefault("_prefetched_objects_cache", {}).update(related)


#: Where Django's ModelBackend keeps a user's permissions for the request (``user_obj._perm_cache``);
#: code that changes a user's permissions deletes it to have them read again.
PERM_CACHE = "_perm_cache"


def cached_permissions(user) -> set[str] | None:
    return getattr(user, PERM_CACHE, None)


def cache_permissions(user, permissions: set[str]) -> set[str]:
    setattr(user, PERM_CACHE, permissions)
    return permissions


def django_request(request):
    """The Django ``HttpRequest`` under a DRF ``Request`` (``request._request``): what
    Django's own signals (user_logged_in) expect."""
    return getattr(request, "_request", request)


class ModelFromClassQueryset:
    """For DRF's ``DjangoModelPermissions``, which reads the model from ``_queryset(view)``:
    the view's class-level ``queryset`` when it has one, instead of building the view's
    whole queryset (access rule, annotations) that the view builds again for the rows."""

    def _queryset(self, view):
        if getattr(view, "queryset", None) is not None:
            return view.queryset
        return super()._queryset(view)


class ResponseBodiesHook:
    """drf-spectacular's AutoSchema builds each operation's answers in
    ``_get_response_bodies``; this hands them to ``error_responses`` (public in Vigil's
    schema class) to add the error answers every operation can give."""

    def _get_response_bodies(self, direction="response"):
        return self.error_responses(super()._get_response_bodies(direction))
