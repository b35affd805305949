"""Undoing a batch (to the bin) and restoring it from the bin (redo)."""

from __future__ import annotations

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.bin import RESTORE
from core.history import Channel
from exchange.imports.common import PERMISSION
from exchange.models import BatchState, ImportBatch, ImportedRecord, ImportMode

# ------------------------------------------------------------------ undo, and undoing the undo


def _may_undo(user) -> None:
    if not (user.has_perm(PERMISSION) and user.has_perm(RESTORE)):
        raise PermissionDenied(gettext("Only a data manager undoes an import."))


@transaction.atomic
def import_undo(*, batch: ImportBatch, user) -> ImportBatch:
    """Undo a batch: the batch and every record it created go to the bin; what it changed
    is put back. Rows that have no bin of their own (a name, an identifier, a detention, a
    note, a case link added to a record the batch did not create) are kept whole in the
    binned batch. Restoring the batch from the bin (``import_redo``) brings it all back."""
    from django.apps import apps

    _may_undo(user)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state == BatchState.UNDONE:
        raise ValidationError(gettext("Batch #%(pk)s was already undone.") % {"pk": batch.pk})
    if batch.state in (BatchState.CHECKED, BatchState.QUEUED):
        raise ValidationError(gettext("Batch #%(pk)s was never imported.") % {"pk": batch.pk})
    now = timezone.now()
    with pghistory.context(channel=Channel.IMPORT.value, import_batch=batch.pk, undo=True):
        records = list(batch.records.order_by("-id"))
        created = {(r.model, r.object_id) for r in records if r.created}
        for record in records:
            model = apps.get_model(record.model)
            obj = model._base_manager.filter(pk=record.object_id).first()
            if obj is None:
                record.undone = {}
            elif not record.created:
                record.undone = {"after": _values(obj, record.before)}
                _put_back(obj, record.before)
            elif hasattr(obj, "deleted_at"):
                if not obj.may_bin(user):
                    raise PermissionDenied(
                        gettext("You may not move %(record)s #%(pk)s to the bin.")
                        % {"record": obj._meta.verbose_name, "pk": obj.pk}
                    )
                record.undone = {"binned": obj.deleted_at is None}
                if obj.deleted_at is None:
                    model._base_manager.filter(pk=obj.pk).update(deleted_at=now, deleted_by=user)
            elif _hangs_off_created(obj, created):
                record.undone = {}  # binned with the record it hangs off
            else:
                record.undone = {"row": _row(obj)}
                obj.delete()
        ImportedRecord.objects.bulk_update(records, ["undone"], batch_size=2000)
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=BatchState.UNDONE, undone_at=now, undone_by=user, deleted_at=now, deleted_by=user
    )
    batch.refresh_from_db()
    return batch


@transaction.atomic
def import_redo(*, batch: ImportBatch, user) -> ImportBatch:
    """Restore an undone batch from the bin: what undoing binned comes back, the rows it
    kept are put back with their ids, the values it put back over are set again."""
    from django.apps import apps

    _may_undo(user)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != BatchState.UNDONE:
        raise ValidationError(gettext("Batch #%(pk)s is not undone.") % {"pk": batch.pk})
    again = ImportBatch.objects.filter(sha256=batch.sha256).exclude(pk=batch.pk)
    again = again.exclude(state__in=[BatchState.CHECKED, BatchState.UNDONE]).first()
    if again is not None and batch.mode != ImportMode.UPDATE_ONLY:
        raise ValidationError(
            gettext("The same file was imported again since (batch #%(pk)s): undo that one first.") % {"pk": again.pk}
        )
    with pghistory.context(channel=Channel.IMPORT.value, import_batch=batch.pk, redo=True):
        for record in batch.records.order_by("id"):
            model = apps.get_model(record.model)
            undone = record.undone or {}
            if undone.get("binned"):
                model._base_manager.filter(pk=record.object_id).update(deleted_at=None, deleted_by=None)
            elif "row" in undone:
                if not model._base_manager.filter(pk=record.object_id).exists():
                    model._base_manager.create(**_from_row(model, undone["row"]))
            elif "after" in undone:
                obj = model._base_manager.filter(pk=record.object_id).first()
                if obj is not None:
                    _put_back(obj, undone["after"])
        batch.records.update(undone={})
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=BatchState.COMMITTED, undone_at=None, undone_by=None, deleted_at=None, deleted_by=None
    )
    batch.refresh_from_db()
    return batch


def _row(obj) -> dict:
    """A row kept whole, column by column, as the database holds it (JSON: dates as ISO text,
    a country as its code)."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    values = {f.attname: f.get_prep_value(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def _from_row(model, row: dict) -> dict:
    values = {}
    for f in model._meta.concrete_fields:
        if f.attname in row:
            value = row[f.attname]
            values[f.attname] = f.to_python(value) if value is not None else None
    return values


def _values(obj, before: dict) -> dict:
    """The values ``before`` names, as they are now (text, as ``before`` keeps them)."""
    return {name: str(getattr(obj, name) or "") for name in before}


def _hangs_off_created(obj, created: set[tuple[str, int]]) -> bool:
    for parent in ("person", "case", "request"):
        parent_id = getattr(obj, f"{parent}_id", None)
        if parent_id is None:
            continue
        label = {"person": "people.person", "case": "casework.case", "request": "casework.statedrequest"}[parent]
        if (label, parent_id) in created:
            return True
    return False


def _put_back(obj, before: dict) -> None:
    """Set the values ``before`` keeps (text) back on ``obj``: a person's fields, a request's status."""
    for name, value in before.items():
        field = obj._meta.get_field(name)
        value = (None if field.null else "") if value in ("", None) else field.to_python(value)
        setattr(obj, field.attname, value)
    obj.save()
