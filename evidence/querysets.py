"""Who may see an evidence file: exactly who may see the records it supports.

A file belongs to a case and is visible when its case is (``visible_to``);
a file marked sensitive, a derived copy of one, and a file supporting a
sensitive event (a welfare incident, an event marked sensitive) are visible
only to holders of ``people.view_sensitive``. A hidden file is a 404
everywhere: its name, size and hash are never shown.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from casework.access import case_visibility
from core.access import sees_every_case, sees_sensitive
from core.querysets import VisibleQuerySet
from events.querysets import sensitive_event


def file_visibility(user, path: str = "") -> Q:
    """The condition for the evidence file at ``path`` ("" for the file itself) to be visible to ``user``."""
    from evidence.models import FileLink

    prefix = f"{path}__" if path else ""
    visible = case_visibility(user, f"{prefix}case")
    if sees_sensitive(user):
        return visible
    on_sensitive_event = FileLink.objects.filter(
        Q(file=OuterRef(path or "pk")) | Q(file=OuterRef(f"{prefix}original")), sensitive_event("event")
    )
    return (
        visible
        & Q(**{f"{prefix}sensitive": False})
        & (Q(**{f"{prefix}original__isnull": True}) | Q(**{f"{prefix}original__sensitive": False}))
        & ~Exists(on_sensitive_event)
    )


class EvidenceFileQuerySet(VisibleQuerySet):
    def access(self, user) -> Q:
        return file_visibility(user)


class FileLinkQuerySet(VisibleQuerySet):
    """A file's links to the records it supports: visible when the file is."""

    def access(self, user) -> Q:
        return file_visibility(user, "file")


class UploadSessionQuerySet(VisibleQuerySet):
    """A resumable upload: its own user's, in a case they may still see (and, for
    oversight, anyone's to those who see every case)."""

    def access(self, user) -> Q:
        if user is None or not user.is_authenticated or not user.is_active:
            return Q(pk__in=[])
        if sees_every_case(user):
            return Q()
        return Q(user=user) & case_visibility(user, "case")
