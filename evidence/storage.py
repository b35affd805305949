"""Where evidence bytes live, and how they get there.

Bytes are kept in the ``evidence`` storage (``settings.STORAGES``): a folder
under ``.data/`` by default, never served as static files, or any
S3-compatible object store (django-storages) configured from the
environment. Each blob is stored once under its SHA-256
(``sha256/ab/cd/abcd…``) and never overwritten.

Reading an upload is streaming: 1 MiB at a time through SHA-256, so a 1 GB
video costs the same memory as a photo.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import BinaryIO

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext, ngettext

log = logging.getLogger("vigil.evidence")

CHUNK = 1024 * 1024
HEAD = 64 * 1024  # enough for every signature the type allow-list needs

#: puremagic's name for a type → the name Vigil records and allows.
ALIASES = {
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/x-flac": "audio/flac",
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-pdf": "application/pdf",
}


def evidence_storage():
    return storages["evidence"]


@dataclass(frozen=True)
class Received:
    """What reading an upload found: its SHA-256, size, detected type and first bytes."""

    sha256: str
    size: int
    media_type: str
    extension: str
    head: bytes


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            if unit == "bytes":
                return ngettext("%(size)s byte", "%(size)s bytes", int(size)) % {"size": f"{size:.0f}"}
            return f"{size:.1f} {unit}"
        size /= 1000
    return f"{size} bytes"  # pragma: no cover


def too_large_message(limit: int) -> str:
    return gettext("This file is larger than the limit of %(limit)s per file (EVIDENCE_MAX_FILE_BYTES).") % {
        "limit": human_size(limit)
    }


def detect_type(head: bytes) -> tuple[str, str]:
    """(media type, extension) from the content's first bytes, never from a name.
    Text (UTF-8 without NUL bytes) is ``text/plain``; anything unrecognised is
    ``application/octet-stream``, which the allow-list refuses."""
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        matches = []
    for match in matches:
        if match.mime_type:
            media_type = ALIASES.get(match.mime_type, match.mime_type)
            return media_type, match.extension.lstrip(".")
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # a character cut at the end of the head is still text
                return "application/octet-stream", ""
        return "text/plain", "txt"
    return "application/octet-stream", ""


def read_upload(stream: BinaryIO, *, limit: int | None = None) -> Received:
    """Hash ``stream`` from its start, 1 MiB at a time (constant memory); refuse it
    past ``limit`` bytes and when the allow-list does not cover its type."""
    limit = settings.EVIDENCE_MAX_FILE_BYTES if limit is None else limit
    stream.seek(0)
    digest, size, head = hashlib.sha256(), 0, b""
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise ValidationError({"file": ValidationError(too_large_message(limit), code="too_large")})
        if len(head) < HEAD:
            head += chunk[: HEAD - len(head)]
        digest.update(chunk)
    if size == 0:
        raise ValidationError({"file": ValidationError(gettext("The file is empty."), code="empty")})
    media_type, extension = detect_type(head)
    if media_type not in settings.EVIDENCE_ALLOWED_TYPES:
        shown = gettext("an unrecognised type") if media_type == "application/octet-stream" else media_type
        message = gettext("Files of %(type)s are not accepted (EVIDENCE_ALLOWED_TYPES lists what is).") % {
            "type": shown
        }
        raise ValidationError({"file": ValidationError(message, code="type_refused")})
    return Received(digest.hexdigest(), size, media_type, extension, head)


def store_bytes(name: str, stream: BinaryIO, size: int) -> None:
    """Write ``stream`` under ``name`` unless the same bytes are already there.
    Bytes left by an upload that was rolled back are reused when whole."""
    storage = evidence_storage()
    if storage.exists(name):
        if storage.size(name) == size:
            return
        storage.delete(name)
    stream.seek(0)
    saved = storage.save(name, stream)
    if saved != name:  # pragma: no cover - the storage renamed it: never silently keep a second copy
        storage.delete(saved)
        raise RuntimeError(f"The evidence storage refused the name {name}.")


def hash_stored(name: str) -> str:
    """The SHA-256 of what the storage holds under ``name`` (streamed)."""
    digest = hashlib.sha256()
    with evidence_storage().open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stored_names() -> list[str]:
    """Every name under ``sha256/`` in the evidence storage."""
    storage = evidence_storage()
    names = []

    def walk(folder: str) -> None:
        folders, files = storage.listdir(folder)
        names.extend(f"{folder}/{name}" for name in files)
        for sub in folders:
            walk(f"{folder}/{sub}")

    try:
        walk("sha256")
    except FileNotFoundError:  # nothing stored yet
        return []
    return sorted(names)


def forget_unlinked_blob(sender, instance, **kwargs) -> None:
    """``post_delete`` of a file (a purge, or its case purged): once the transaction
    commits, drop its blob, bytes included, if no other file links them."""
    blob_id = instance.blob_id
    transaction.on_commit(lambda: drop_blob_if_unlinked(blob_id))


def drop_blob_if_unlinked(blob_id: int) -> bool:
    from evidence.models import StoredBlob

    with transaction.atomic():
        blob = StoredBlob.objects.select_for_update().filter(pk=blob_id).first()
        if blob is None or blob.files.exists():
            return False
        name = blob.storage_name
        blob.delete()
        transaction.on_commit(lambda: evidence_storage().delete(name))
    log.warning("Evidence bytes %s removed: no file links them any more", name)
    return True
