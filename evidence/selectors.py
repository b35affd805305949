"""Evidence's reads, each starting from ``visible_to(user)``: ``EvidenceFile.objects.visible_to(user)``,
or ``FileLink``'s for the records a file supports."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casework.models import Case
from evidence.choices import Derivation
from evidence.models import EvidenceFile, FileDownload, FileLink, VerificationRun


def visible_files(*, user):
    return EvidenceFile.objects.visible_to(user).select_related("blob", "uploaded_by", "source", "case")


def case_files(*, case: Case, user) -> list[EvidenceFile]:
    """A case's originals the user may see, oldest first, each with ``chain``: the
    copies derived from it (visible ones), in order, and ``link_list``."""
    files = list(
        visible_files(user=user)
        .filter(case=case)
        .prefetch_related(
            Prefetch(
                "links",
                FileLink.objects.visible_to(user).select_related("event", "person", "request", "intervention"),
                to_attr="link_list",
            )
        )
        .order_by("created_at", "id")
    )
    by_original = defaultdict(list)
    for item in files:
        if item.original_id:
            by_original[item.original_id].append(item)
    originals = [item for item in files if not item.original_id]
    for item in originals:
        item.chain = by_original.get(item.pk, [])
    return originals


def file_in_case(*, case: Case, user, file_id: int) -> EvidenceFile:
    """The file ``file_id`` of ``case`` if the user may see it; 404 otherwise (a hidden
    file is answered exactly like one that never existed)."""
    return get_object_or_404(visible_files(user=user).filter(case=case), pk=file_id)


def file_chain(*, file: EvidenceFile, user) -> list[EvidenceFile]:
    """The original of ``file``'s chain and every copy derived from it the user may see."""
    root = file.original_id or file.pk
    return list(visible_files(user=user).filter(Q(pk=root) | Q(original_id=root)).order_by("created_at", "id"))


def stripped_copy_of(*, file: EvidenceFile, user) -> EvidenceFile | None:
    """The copy of ``file`` with its metadata stripped, if there is one ``user`` may see."""
    return (
        EvidenceFile.objects.visible_to(user)
        .filter(derived_from=file, derivation=Derivation.METADATA_STRIPPED)
        .select_related("blob", "case")
        .first()
    )


def file_links(*, file: EvidenceFile, user) -> list[FileLink]:
    """The records ``file`` supports that ``user`` may see (an event, a person, a request, an intervention)."""
    links = FileLink.objects.visible_to(user).filter(file=file)
    return list(links.select_related("event", "person", "request", "intervention"))


def files_by_entry(*, case: Case, user, entries) -> dict[str, list[EvidenceFile]]:
    """For a timeline: the files each entry shows (by ``entry.key``): those linked to
    its event, request or intervention, and those of the sources it cites. One query."""
    events = {entry.id for entry in entries if entry.kind == "event"}
    interventions = {entry.id for entry in entries if entry.kind == "intervention"}
    source_ids = defaultdict(set)
    for entry in entries:
        for citation in entry.citations:
            source_ids[citation.source_id].add(entry.key)
        if entry.source is not None:
            source_ids[entry.source.pk].add(entry.key)
    wanted = Q(links__event__in=events) | Q(links__intervention__in=interventions) | Q(source__in=list(source_ids))
    found = defaultdict(list)
    files = (
        visible_files(user=user)
        .filter(wanted, case=case, original__isnull=True)
        .prefetch_related(
            Prefetch("links", FileLink.objects.only("file_id", "event_id", "intervention_id"), to_attr="link_rows")
        )
        .distinct()
        .order_by("created_at", "id")
    )
    for item in files:
        keys = set(source_ids.get(item.source_id, ()))
        for link in item.link_rows:
            if link.event_id in events:
                keys.add(f"event-{link.event_id}")
            if link.intervention_id in interventions:
                keys.add(f"intervention-{link.intervention_id}")
        for key in keys:
            found[key].append(item)
    return dict(found)


def custody_report(*, case: Case, user, file_ids=None) -> dict:
    """Every file of ``case`` the user may see (or the ``file_ids`` among them): its
    SHA-256, size, type, who uploaded it, when and through what, every derived copy
    with what was done and by whom, every download, and its last verification."""
    files = visible_files(user=user).filter(case=case).order_by("created_at", "id")
    if file_ids:
        files = files.filter(Q(pk__in=file_ids) | Q(original_id__in=file_ids))
    files = list(files)
    downloads = defaultdict(list)
    for download in FileDownload.objects.filter(file__in=[item.pk for item in files]).order_by("at", "id"):
        downloads[download.file_id].append(download)
    last_run = VerificationRun.objects.filter(finished_at__isnull=False).first()
    shown_hashes = {item.blob.sha256 for item in files}  # a run's findings about other files are not shown
    rows = []
    for item in files:
        blob = item.blob
        rows.append(
            {
                "id": item.pk,
                "name": item.original_name,
                "sha256": blob.sha256,
                "size": blob.size,
                "media_type": blob.media_type,
                "uploaded_by": item.uploaded_by.get_username() if item.uploaded_by else "",
                "uploaded_at": _iso(item.created_at),
                "channel": item.channel,
                "source": str(item.source) if item.source else "",
                "sensitive": item.sensitive,
                "derived_from": item.derived_from_id,
                "derivation": item.derivation,
                "derivation_note": item.derivation_note,
                "verification": {"result": blob.check_result or "not yet verified", "at": _iso(blob.checked_at)},
                "downloads": [
                    {
                        "by": download.username,
                        "at": _iso(download.at),
                        "sha256": download.sha256,
                        "variant": download.variant,
                        "channel": download.channel,
                        "address": download.ip_address or "",
                    }
                    for download in downloads[item.pk]
                ],
            }
        )
    return {
        "format": "vigil-custody-manifest/1",
        "generated_at": _iso(timezone.now()),
        "generated_by": user.get_username() if user is not None and user.is_authenticated else "",
        "case": {"reference": case.reference, "title": case.title},
        "files": rows,
        "last_verification_run": {
            "finished_at": _iso(last_run.finished_at) if last_run else None,
            "checked": last_run.checked if last_run else 0,
            "mismatched": [sha for sha in last_run.mismatched if sha in shown_hashes] if last_run else [],
            "missing": [sha for sha in last_run.missing if sha in shown_hashes] if last_run else [],
        },
    }


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.astimezone(datetime.UTC).isoformat() if moment else None
