"""Re-hashing every stored blob: ``manage.py verify_files`` (and, once a job
engine runs, the periodic job that wraps it).

A run walks the blobs in id order and records after each one how far it got,
so an interrupted run resumes where it stopped. Each blob's bytes are hashed
again (streamed); a blob whose bytes no longer match its SHA-256, or whose
bytes are gone, is reported, recorded on the blob, and mailed to the data
managers. Names in the storage that no blob accounts for are orphans.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from core.roles import DATA_MANAGER
from evidence.choices import Check
from evidence.models import StoredBlob, VerificationRun
from evidence.storage import evidence_storage, hash_stored, stored_names

log = logging.getLogger("vigil.evidence")


def verify_blob(blob: StoredBlob) -> str:
    """Check one blob's bytes; record and return the result."""
    storage = evidence_storage()
    if not storage.exists(blob.storage_name):
        result = Check.MISSING
    else:
        result = Check.OK if hash_stored(blob.storage_name) == blob.sha256 else Check.MISMATCH
    StoredBlob.objects.filter(pk=blob.pk).update(checked_at=timezone.now(), check_result=result)
    return result


def verify_all(*, restart: bool = False, progress: Callable[[int, int, StoredBlob, str], None] | None = None):
    """Run (or resume) a verification of every blob; the finished run."""
    run = None if restart else VerificationRun.objects.filter(finished_at__isnull=True).order_by("-started_at").first()
    if run is None:
        run = VerificationRun.objects.create()
    total = StoredBlob.objects.count()
    for blob in StoredBlob.objects.filter(pk__gt=run.last_blob_id).order_by("pk").iterator(chunk_size=200):
        result = verify_blob(blob)
        if result == Check.MISMATCH:
            run.mismatched.append(blob.sha256)
        elif result == Check.MISSING:
            run.missing.append(blob.sha256)
        run.checked += 1
        run.last_blob_id = blob.pk
        run.save(update_fields=["checked", "last_blob_id", "mismatched", "missing"])
        if progress:
            progress(run.checked, total, blob, result)
    known = set(StoredBlob.objects.values_list("sha256", flat=True))
    run.orphans = [name for name in stored_names() if name.rsplit("/", 1)[-1] not in known]
    run.finished_at = timezone.now()
    run.save(update_fields=["orphans", "finished_at"])
    if run.mismatched or run.missing:
        alert_data_managers(run)
    return run


def alert_data_managers(run: VerificationRun) -> int:
    """Mail every active data manager (and superuser) with an address: which bytes changed or went missing."""
    users = (
        get_user_model()
        .objects.filter(Q(groups__name=DATA_MANAGER) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
    )
    recipients = sorted({user.email for user in users})
    lines = [f"Changed (bytes no longer match their SHA-256): {sha}" for sha in run.mismatched]
    lines += [f"Missing from storage: {sha}" for sha in run.missing]
    log.error("Evidence verification found problems: %s", "; ".join(lines))
    if not recipients:
        return 0
    send_mail(
        subject=f"Vigil: evidence verification found {len(run.mismatched)} changed and {len(run.missing)} missing files",
        message="The verification of stored evidence files found:\n\n"
        + "\n".join(lines)
        + "\n\nRestore these from a backup and check who had access to the storage. "
        "The custody report of each case shows the verification result of its files.\n",
        from_email=None,
        recipient_list=recipients,
    )
    return len(recipients)
