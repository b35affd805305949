"""Prepared exports: asked for, approved, written by a job, downloaded until they expire."""

from __future__ import annotations

import datetime
import io
import tempfile
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from exchange.exports.profiles import FULL_PERMISSION, check_may_export, resolve_profile
from exchange.exports.tables import export_to_file, filename_for, filtered_cases, write
from exchange.models import ExportState, PreparedExport

# ------------------------------------------------------------ prepared exports (a job writes them)


def export_request(*, user, profile: str, fmt: str, layout: str, params, channel: str) -> PreparedExport:
    """Ask for an export written by a job (``exchange.run_export``) and downloaded later: at
    once, or, for a full export when ``VIGIL_EXPORT_FULL_NEEDS_APPROVAL`` is on, once a second
    data manager approves. Everything that can be refused is refused now."""
    resolved = check_may_export(user=user, profile=profile)
    filtered_cases(user=user, params=params)  # a bad filter is refused now, not in the job
    write(out=io.BytesIO(), fmt=fmt, layout=layout, named_tables=[])  # so is a bad format
    waits = resolved.kind == "full" and settings.VIGIL_EXPORT_FULL_NEEDS_APPROVAL
    with transaction.atomic():
        prepared = PreparedExport.objects.create(
            profile=resolved.name, format=f"{fmt}:{layout}", filters=params.urlencode()[:2000], requested_by=user,
            channel=channel, state=ExportState.PENDING if waits else ExportState.QUEUED,
        )  # fmt: skip
        if not waits:
            _defer(prepared)
    return prepared


def export_full_request(*, user, fmt: str, layout: str, params, request=None) -> PreparedExport:
    from core.history import Channel

    return export_request(user=user, profile="full", fmt=fmt, layout=layout, params=params, channel=Channel.DASHBOARD)


def _defer(prepared: PreparedExport) -> None:
    """The job and its progress (core.background), queued in the caller's transaction: they
    exist only if the export does. The title says the profile and format, never a case."""
    from core.background import work_defer
    from exchange.tasks import run_export

    fmt = prepared.format.split(":")[0].upper()
    title = gettext("%(profile)s export #%(pk)s (%(format)s)") % {
        "profile": prepared.profile.capitalize(),
        "pk": prepared.pk,
        "format": fmt,
    }
    work_defer(run_export, kind="export", title=title, owner=prepared.requested_by, prepared_id=prepared.pk)


@transaction.atomic
def export_approve(*, prepared: PreparedExport, user, request=None) -> PreparedExport:
    """A second data manager approves a full export: a job writes it, its asker downloads it."""
    if not user.has_perm(FULL_PERMISSION):
        raise PermissionDenied(gettext("Only a data manager approves a full export."))
    prepared = PreparedExport.objects.select_for_update().get(pk=prepared.pk)
    if prepared.requested_by_id == user.pk:
        raise ValidationError(gettext("A second data manager approves: not the one who asked."))
    if prepared.state != ExportState.PENDING:
        raise ValidationError(gettext("This export is %(state)s.") % {"state": prepared.get_state_display()})
    prepared.approved_by, prepared.approved_at, prepared.state = user, timezone.now(), ExportState.QUEUED
    prepared.save(update_fields=["approved_by", "approved_at", "state"])
    _defer(prepared)
    return prepared


def export_run(prepared_id: int, *, progress: Callable[[int], None] | None = None) -> int:
    """The job: write the export as its asker may see it (their rights as they are now), keep
    it until it expires, and log it. Returns the rows written."""
    from django.http import QueryDict

    from casework.view_log import export_record

    with transaction.atomic():
        prepared = PreparedExport.objects.select_for_update().select_related("requested_by").get(pk=prepared_id)
        if prepared.state not in (ExportState.QUEUED, ExportState.FAILED):
            return prepared.rows  # already written (a retried job), or waiting for approval
        prepared.state = ExportState.RUNNING
        prepared.save(update_fields=["state"])
    fmt, layout = prepared.format.split(":")
    requester = prepared.requested_by
    try:
        with tempfile.TemporaryFile() as out:
            rows, sha256 = export_to_file(user=requester, profile=prepared.profile, fmt=fmt, layout=layout,
                                          params=QueryDict(prepared.filters), out=out, progress=progress)  # fmt: skip
            name, _content_type = filename_for(profile=prepared.profile, fmt=fmt, layout=layout)
            prepared.file.save(name, File(out), save=False)
    except Exception as error:
        PreparedExport.objects.filter(pk=prepared.pk).update(state=ExportState.FAILED, message=str(error)[:2000])
        raise
    prepared.rows, prepared.sha256, prepared.state, prepared.message = rows, sha256, ExportState.READY, ""
    prepared.expires_at = timezone.now() + datetime.timedelta(hours=settings.VIGIL_EXPORT_DOWNLOAD_HOURS)
    with transaction.atomic():
        prepared.save()
        export_record(
            user=requester, what=f"{prepared.profile} export #{prepared.pk} for {requester.get_username()}",
            rows=rows, channel=prepared.channel, profile=resolve_profile(prepared.profile).kind, sha256=sha256,
            query=prepared.filters,
        )  # fmt: skip
    return rows


def prepared_download(*, prepared: PreparedExport, user):
    """The prepared file, for the one who asked (if they still may export it), until it
    expires (then it is deleted)."""
    if prepared.requested_by_id != user.pk:
        raise PermissionDenied(gettext("Only the one who asked downloads this export."))
    check_may_export(user=user, profile=prepared.profile)
    if prepared.state != ExportState.READY:
        raise ValidationError(gettext("This export is %(state)s.") % {"state": prepared.get_state_display()})
    if prepared.expires_at is None or prepared.expires_at < timezone.now():
        if prepared.file:
            prepared.file.delete(save=False)
        PreparedExport.objects.filter(pk=prepared.pk).update(file="")
        raise ValidationError(gettext("This download has expired: ask for the export again."))
    return prepared.file.open("rb")
