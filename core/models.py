"""The base every Vigil model stands on."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from knox.models import AbstractAuthToken

from core.dates import normalise_pair, refuse_future
from core.shown import note as note_shown


class RecordChanged(Exception):
    """Someone else saved the record after this writer read it: the write was refused, nothing changed."""

    def __init__(self, obj: models.Model, seen_version: int):
        self.obj, self.seen_version = obj, seen_version
        super().__init__(f"{obj._meta.verbose_name} #{obj.pk} changed since version {seen_version}.")


def versioned(model: type[models.Model]) -> type[models.Model]:
    """Class decorator: the database adds one to ``version`` on every update,
    whatever code path runs it (a form, the API, a queryset ``update()``)."""
    return pgtrigger.register(
        pgtrigger.Trigger(
            name="bump_version",
            when=pgtrigger.Before,
            operation=pgtrigger.Update,
            func="NEW.version := OLD.version + 1; RETURN NEW;",
        )
    )(model)


def exactly_one_of(fields: tuple[str, ...]) -> models.Q:
    """A check constraint's condition: exactly one of ``fields`` (foreign keys) is set."""
    condition = models.Q(pk__in=[])
    for chosen in fields:
        term = models.Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                term &= models.Q(**{f"{other}__isnull": True})
        condition |= term
    return condition


class VigilModel(models.Model):
    """A record with audit timestamps whose reported dates are normalised on validation.

    ``fuzzy_dates`` names the date columns that carry a ``<name>_precision``
    partner (see core/dates.py); ``clean()`` normalises them, so every ModelForm
    (admin, dashboard) stores "March 2025" as 2025-03-01 whatever day was typed.
    """

    fuzzy_dates: tuple[str, ...] = ()
    #: Reported dates of things that have happened: never in the future (also a
    #: database constraint, ``fuzzy_date_constraints(..., past=True)``).
    past_dates: tuple[str, ...] = ()

    created_at = models.DateTimeField("created", auto_now_add=True, editable=False)
    updated_at = models.DateTimeField("last changed", auto_now=True, editable=False)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by one on every change: a stale write is refused."
    )

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        # Every record loaded while a request is served is noted for the view log (core/shown.py).
        instance = super().from_db(db, field_names, values)
        note_shown(instance)
        return instance

    def clean(self) -> None:
        super().clean()
        for field in self.fuzzy_dates:
            normalise_pair(self, field)
        errors = refuse_future(self, self.past_dates)
        if errors:
            raise ValidationError(errors)

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        """No lost updates: the UPDATE applies only if the row is still at the
        version this writer read (``self.version``); the check and the write are
        one statement, so of two concurrent writers exactly one wins."""
        seen = self.version
        updated = super()._do_update(base_qs.filter(version=seen), using, pk_val, values, update_fields, forced_update)
        if updated:
            self.version = seen + 1  # what the bump_version trigger wrote
            return True
        if base_qs.filter(pk=pk_val).exists():
            raise RecordChanged(self, seen)
        return False


class BinnableModel(models.Model):
    """A record that deleting moves to the bin (core/bin.py) instead of destroying.

    While in the bin it, and everything hanging off it, is left out of every
    ``visible_to()``; a data manager restores it with everything it had, or
    purges it for good (history keeps what it was).
    """

    bin_paths: tuple[str, ...] = ("",)

    deleted_at = models.DateTimeField("moved to the bin at", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="moved to the bin by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def in_bin(self) -> bool:
        return self.deleted_at is not None

    def may_bin(self, user) -> bool:
        """Whether ``user`` may move this record to the bin, beyond the model's delete
        permission (a case: only who controls it)."""
        return True


class ApiToken(AbstractAuthToken):
    """A user's API token (django-rest-knox's, KNOX_TOKEN_MODEL): only a SHA-512
    digest of it is stored, with the first 15 characters to find it by; the
    token itself is shown once, when it is made. It expires (API_TOKEN_DAYS),
    has a name its owner gave it and the time it was last used (to the minute),
    and goes when its owner's password changes or the account is deactivated
    (core.signals)."""

    name = models.CharField("name", max_length=100, blank=True)
    last_used = models.DateTimeField("last used", null=True, blank=True)
    second_factor = models.BooleanField(
        "made with the second factor",
        default=False,
        help_text="Made with a TOTP code, from a verified session or on the server: it opens the API even "
        "while its owner must use a second factor (REQUIRE_TWO_FACTOR).",
    )

    class Meta:
        verbose_name = "API token"
        verbose_name_plural = "API tokens"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name or 'API token'} {self.token_key}… of {self.user}"


class WorkState(models.TextChoices):
    QUEUED = "queued", "waiting for a worker"
    RUNNING = "running", "running"
    DONE = "done", "done"
    FAILED = "failed", "failed"


class BackgroundWork(models.Model):
    """Long work that runs as a job (an import, an export, the full duplicate pass,
    the verification of stored files): who asked for it, how far it got, how it
    ended. Its owner follows it on "My background work" (/watch/work/); data
    managers read every run, and the failed ones' errors, in admin. Written only
    through ``core.background``.

    ``title`` and ``message`` are written by code for the owner and carry counts
    and kinds, never a case's content (the owner may lose access to a case while
    the row stays); ``error`` is the full error, for data managers only."""

    kind = models.CharField(max_length=50, help_text="What runs: duplicate_pass, verify_files, import, export, …")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="background_work",
        help_text="Who started it; empty for periodic work nobody asked for.",
    )
    state = models.CharField(max_length=10, choices=WorkState.choices, default=WorkState.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True, help_text="Empty while unknown.")
    message = models.CharField(max_length=500, blank=True)
    result_url = models.CharField("result", max_length=500, blank=True, help_text="Where the result is.")
    error = models.TextField(blank=True, help_text="The last error, for data managers.")
    job_id = models.BigIntegerField(null=True, blank=True, help_text="Procrastinate's job.")
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "background work"
        verbose_name_plural = "background work"
        ordering = ["-created_at", "-id"]
        indexes = [
            # "My background work": WHERE owner_id = me ORDER BY created_at DESC.
            models.Index(fields=["owner", "-created_at"], name="backgroundwork_owner_idx"),
            # A periodic job's attempts share one row: WHERE job_id = ….
            models.Index(fields=["job_id"], name="backgroundwork_job_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (WorkState.DONE, WorkState.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.state == WorkState.DONE else None
        return min(100, int(100 * self.done / self.total))
