"""Evidence's writes: receiving a file, deriving a copy, redacting a photo,
linking a file to what it supports, serving a download. Each is one function,
keyword-only, one transaction, with the acting ``user`` required; admin, API,
dashboard and commands all call these.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext

from casework.models import Case, Intervention, StatedRequest
from casework.view_log import case_view_record
from core.access import sees_sensitive
from core.client_ip import client_ip
from core.querysets import visible
from events.models import Event, Source
from evidence import images, selectors
from evidence.choices import Derivation, Variant
from evidence.models import LINKED_FIELDS, EvidenceFile, FileDownload, FileLink, StoredBlob
from evidence.storage import read_upload, store_bytes
from people.models import Person

STRIPPED_NOTE = "EXIF, XMP, comments and colour profile removed by Vigil (Pillow re-encoding); turned upright."
LINK_MODELS = {"event": Event, "person": Person, "request": StatedRequest, "intervention": Intervention}


@dataclass
class Links:
    """The records a file supports (ids or objects)."""

    events: Iterable = ()
    people: Iterable = ()
    requests: Iterable = ()
    interventions: Iterable = ()

    def items(self):
        yield "event", self.events
        yield "person", self.people
        yield "request", self.requests
        yield "intervention", self.interventions


@dataclass
class Uploaded:
    """A received file, and whether its bytes were already stored (de-duplicated)."""

    file: EvidenceFile
    duplicate: bool
    stripped: EvidenceFile | None = None
    notes: list[str] = field(default_factory=list)


def _actor(user):
    if user is None or not user.is_authenticated:
        raise PermissionDenied(gettext("Files are received from a signed-in user."))
    return user


def _blob(stream: BinaryIO, *, limit: int | None = None) -> tuple[StoredBlob, bool]:
    """The blob for ``stream``'s bytes (hashed while read), stored once: (blob, already there)."""
    received = read_upload(stream, limit=limit)
    existed = StoredBlob.objects.filter(sha256=received.sha256).exists()
    StoredBlob.objects.bulk_create(
        [
            StoredBlob(
                sha256=received.sha256,
                size=received.size,
                media_type=received.media_type,
                extension=received.extension,
                metadata=images.read_metadata(stream) if received.media_type.startswith("image/") else {},
            )
        ],
        ignore_conflicts=True,  # a concurrent upload of the same bytes: one row, both linked
    )
    # A concurrent upload of the same new bytes waits here for the first: one row, both linked.
    blob = StoredBlob.objects.select_for_update().get(sha256=received.sha256)
    if not existed:
        store_bytes(blob.storage_name, stream, blob.size)
    return blob, existed


def _check_links(case: Case, links: Links | None, user) -> list[FileLink]:
    rows = []
    for name, values in (links or Links()).items():
        model = LINK_MODELS[name]
        for value in values:
            pk = value.pk if isinstance(value, Model) else value
            obj = visible(model.objects.filter(pk=pk), user).first()
            in_case = obj is not None and (
                obj.case_id == case.pk if name != "person" else obj.case_subjects.filter(case=case).exists()
            )
            if not in_case:
                raise ValidationError(
                    {
                        f"{name}s": gettext("No %(record)s #%(pk)s in case %(case)s.")
                        % {"record": name, "pk": pk, "case": case.reference}
                    }
                )
            rows.append(FileLink(**{name: obj}))
    return rows


@transaction.atomic
def file_upload(
    *,
    user,
    case: Case,
    stream: BinaryIO,
    name: str,
    channel: str,
    source: Source | None = None,
    sensitive: bool = False,
    description: str = "",
    links: Links | None = None,
    limit: int | None = None,
) -> Uploaded:
    """Receive a file for ``case``: hash it while reading (SHA-256), detect its
    type from its content and refuse what the allow-list does not cover, store
    its bytes once, record who sent it, when, through what and under which
    name, and link it to the records it supports. An image that carries
    metadata (camera, GPS position...) gets a metadata-stripped copy, served by
    default to those who may not see sensitive details."""
    _actor(user)
    if not visible(Case.objects.filter(pk=case.pk), user).exists():
        raise ValidationError({"case": gettext("No such case.")})
    if source is not None and not visible(Source.objects.filter(pk=source.pk), user).exists():
        raise ValidationError({"source": gettext("No such source.")})
    link_rows = _check_links(case, links, user)
    blob, duplicate = _blob(stream, limit=limit)
    record = EvidenceFile(
        case=case,
        blob=blob,
        original_name=_clean_name(name, blob),
        description=description,
        source=source,
        sensitive=sensitive,
        uploaded_by=user,
        channel=channel,
    )
    record.full_clean(exclude=["case", "blob", "source", "uploaded_by"])
    record.save()
    for link in link_rows:
        link.file = record
    FileLink.objects.bulk_create(link_rows)
    uploaded = Uploaded(file=record, duplicate=duplicate)
    if duplicate:
        uploaded.notes.append(gettext("Identical content was already stored: linked, not stored again."))
    if blob.metadata:
        uploaded.stripped = _stripped_copy(record, stream, user=user, channel=channel)
    return uploaded


def _clean_name(name: str, blob: StoredBlob) -> str:
    """The name as received, without any folder part or control character."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(char for char in base if char.isprintable()).strip()[:255]
    return base or f"file.{blob.extension or 'bin'}"


def _stripped_copy(record: EvidenceFile, stream: BinaryIO, *, user, channel: str) -> EvidenceFile | None:
    stripped = images.strip_metadata(stream)
    if stripped is None:
        return None
    return _derive(
        original=record,
        data=io.BytesIO(stripped),
        name=f"stripped-{record.original_name}",
        derivation=Derivation.METADATA_STRIPPED,
        note=STRIPPED_NOTE,
        user=user,
        channel=channel,
    )


def _derive(*, original: EvidenceFile, data: BinaryIO, name: str, derivation: str, note: str, user, channel):
    blob, _duplicate = _blob(data)
    copy = EvidenceFile(
        case_id=original.case_id,
        blob=blob,
        original_name=_clean_name(name, blob),
        source_id=original.source_id,
        sensitive=original.sensitive,
        uploaded_by=user,
        channel=channel,
        derived_from=original,
        original_id=original.original_id or original.pk,
        derivation=derivation,
        derivation_note=note,
    )
    copy.full_clean(exclude=["case", "blob", "source", "uploaded_by", "derived_from", "original"])
    copy.save()
    return copy


def _visible_file(file: EvidenceFile, user) -> EvidenceFile:
    found = EvidenceFile.objects.visible_to(user).filter(pk=file.pk).select_related("case", "blob").first()
    if found is None:
        raise ValidationError({"file": gettext("No such file.")})
    return found


@transaction.atomic
def derivative_upload(
    *, user, original: EvidenceFile, stream: BinaryIO, name: str, derivation: str, note: str, channel: str
) -> EvidenceFile:
    """Add a derived copy of ``original`` made elsewhere (a redacted version, a
    translation, a transcript, OCR text), saying what was done. The original is
    untouched."""
    _actor(user)
    original = _visible_file(original, user)
    if derivation not in Derivation.values:
        raise ValidationError(
            {"derivation": gettext("“%(derivation)s” is not a kind of derived copy.") % {"derivation": derivation}}
        )
    if not note.strip():
        raise ValidationError({"note": gettext("Say what was done (“faces blurred”, “translated from Korean”).")})
    return _derive(
        original=original, data=stream, name=name, derivation=derivation, note=note, user=user, channel=channel
    )


@transaction.atomic
def image_redact(
    *, user, original: EvidenceFile, rectangles: list[tuple[int, int, int, int]], note: str, channel: str
) -> EvidenceFile:
    """A redacted copy of an image: each rectangle (in the upright image's
    pixels) blacked out, metadata removed. The original is untouched."""
    _actor(user)
    original = _visible_file(original, user)
    if not original.blob.is_image:
        raise ValidationError({"file": gettext("Only images can be redacted here; upload a redacted copy instead.")})
    if not rectangles:
        raise ValidationError({"rectangles": gettext("Draw at least one rectangle over what must be hidden.")})
    from evidence.storage import evidence_storage

    with evidence_storage().open(original.blob.storage_name, "rb") as stored:
        try:
            data = images.redact(io.BytesIO(stored.read()), rectangles)
        except ValueError as error:
            raise ValidationError({"file": str(error)}) from None
    summary = f"{len(rectangles)} area{'s' if len(rectangles) != 1 else ''} blacked out in Vigil"
    return _derive(
        original=original,
        data=io.BytesIO(data),
        name=f"redacted-{original.original_name}",
        derivation=Derivation.REDACTED,
        note=f"{summary}: {note.strip()}" if note.strip() else f"{summary}.",
        user=user,
        channel=channel,
    )


@transaction.atomic
def file_link_add(*, user, file: EvidenceFile, links: Links) -> list[FileLink]:
    """Link a file to more records it supports (in its case)."""
    _actor(user)
    file = _visible_file(file, user)
    rows = _check_links(file.case, links, user)
    for row in rows:
        row.file = file
        row.full_clean(exclude=["file", *LINKED_FIELDS])
    return FileLink.objects.bulk_create(rows)


def download_choice(*, file: EvidenceFile, user, variant: str = "") -> tuple[StoredBlob, str]:
    """Which bytes ``user`` gets for ``file``: a photo carrying metadata (GPS,
    camera serial) comes without it to those who may not see sensitive details;
    they may not ask for the original. Holders of ``people.view_sensitive`` get
    the original unless they ask for ``stripped``."""
    carries = bool(file.blob.metadata)
    allowed = sees_sensitive(user)
    if variant not in ("", Variant.ORIGINAL, Variant.STRIPPED):
        raise ValidationError({"variant": gettext("Ask for “original” or “stripped”.")})
    if not carries:
        return file.blob, Variant.ORIGINAL
    wants_stripped = variant == Variant.STRIPPED or (variant == "" and not allowed)
    if not wants_stripped:
        if not allowed:
            raise PermissionDenied(gettext("This photo's original carries metadata that can endanger a source."))
        return file.blob, Variant.ORIGINAL
    stripped = selectors.stripped_copy_of(file=file, user=user)
    if stripped is None:
        if allowed:
            return file.blob, Variant.ORIGINAL
        raise PermissionDenied(gettext("This file carries metadata and has no stripped copy yet."))
    return stripped.blob, Variant.STRIPPED


def file_download_record(
    *, user, file: EvidenceFile, blob: StoredBlob, variant: str, request, channel: str
) -> FileDownload:
    """Log a download: who (``user``, the request's), when, which file and bytes, through what, from where
    (``request``); a restricted case's download joins its view log too."""
    user = user if user is not None and user.is_authenticated else None
    case_view_record(case=file.case, request=request, channel=channel, what=f"file #{file.pk}")
    return FileDownload.objects.create(
        file=file,
        sha256=blob.sha256,
        variant=variant,
        case_reference=file.case.reference,
        user=user,
        username=user.get_username() if user else "",
        channel=channel,
        ip_address=client_ip(request),
    )
