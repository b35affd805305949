"""The base every Vigil model stands on."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

from core.dates import normalise_pair, refuse_future
from core.history import track
from core.internals import VersionCheckedUpdate
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


class CleanCheck(models.CheckConstraint):
    """A database check whose rule the model's ``clean()`` also states, field by field:
    ``full_clean`` gives that error and does not ask PostgreSQL again (Django's own
    ``CheckConstraint.validate`` costs a query per check per write). The database
    still enforces it; a test keeps ``clean()`` and the check in step."""

    def validate(self, model, instance, exclude=None, using=None):
        return None

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs  # the database's constraint, unchanged


class VigilModel(VersionCheckedUpdate):
    """A record with audit timestamps whose reported dates are normalised on validation.

    ``fuzzy_dates`` names the date columns that carry a ``<name>_precision``
    partner (see core/dates.py); ``clean()`` normalises them, so every ModelForm
    (admin, dashboard) stores "March 2025" as 2025-03-01 whatever day was typed.
    """

    fuzzy_dates: tuple[str, ...] = ()
    #: Reported dates of things that have happened: never in the future (also a
    #: database constraint, ``fuzzy_date_constraints(..., past=True)``).
    past_dates: tuple[str, ...] = ()

    created_at = models.DateTimeField(_("created"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, editable=False)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text=_("Raised by one on every change: a stale write is refused."),
        verbose_name=_("version"),
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

    def changed_error(self, seen: int) -> Exception:
        """No lost updates (core.internals.VersionCheckedUpdate): a save of a row no longer at
        the version this writer read is refused with this."""
        return RecordChanged(self, seen)


class BinnableModel(models.Model):
    """A record that deleting moves to the bin (core/bin.py) instead of destroying.

    While in the bin it, and everything hanging off it, is left out of every
    ``visible_to()``; a data manager restores it with everything it had, or
    purges it for good (history keeps what it was).
    """

    bin_paths: tuple[str, ...] = ("",)

    deleted_at = models.DateTimeField(_("moved to the bin at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved to the bin by"),
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

    # django-rest-knox's fields as it declares them, named in the reader's language.
    digest = models.CharField(_("token digest"), max_length=CONSTANTS.DIGEST_LENGTH, primary_key=True)
    token_key = models.CharField(
        _("token key"), max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_token_set", verbose_name=_("user")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expiry = models.DateTimeField(_("expires"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    second_factor = models.BooleanField(
        _("made with the second factor"),
        default=False,
        help_text=_(
            "Made with a TOTP code, from a verified session or on the server: it opens the API even "
            "while its owner must use a second factor (REQUIRE_TWO_FACTOR)."
        ),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return gettext("%(name)s %(key)s… of %(user)s") % {
            "name": self.name or gettext("API token"),
            "key": self.token_key,
            "user": self.user,
        }


class WorkState(models.TextChoices):
    QUEUED = "queued", _("waiting for a worker")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class BackgroundWork(models.Model):
    """Long work that runs as a job (an import, an export, the full duplicate pass,
    the verification of stored files): who asked for it, how far it got, how it
    ended. Its owner follows it on "My background work" (/watch/work/); data
    managers read every run, and the failed ones' errors, in admin. Written only
    through ``core.background``.

    ``title`` and ``message`` are written by code for the owner and carry counts
    and kinds, never a case's content (the owner may lose access to a case while
    the row stays); ``error`` is the full error, for data managers only."""

    kind = models.CharField(
        max_length=50, help_text=_("What runs: duplicate_pass, verify_files, import, export, …"), verbose_name=_("kind")
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="background_work",
        help_text=_("Who started it; empty for periodic work nobody asked for."),
        verbose_name=_("owner"),
    )
    state = models.CharField(
        max_length=10, choices=WorkState.choices, default=WorkState.QUEUED, verbose_name=_("status")
    )
    done = models.PositiveBigIntegerField(default=0, verbose_name=_("done"))
    total = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("Empty while unknown."), verbose_name=_("total")
    )
    message = models.CharField(max_length=500, blank=True, verbose_name=_("message"))
    result_url = models.CharField(_("result"), max_length=500, blank=True, help_text=_("Where the result is."))
    error = models.TextField(blank=True, help_text=_("The last error, for data managers."), verbose_name=_("error"))
    job_id = models.BigIntegerField(
        null=True, blank=True, help_text=_("Procrastinate's job."), verbose_name=_("job ID")
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("background work")
        verbose_name_plural = _("background work")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "My background work": WHERE owner_id = me ORDER BY created_at DESC.
            models.Index(fields=["owner", "-created_at"], name="backgroundwork_owner_idx"),
            # A periodic job's attempts share one row: WHERE job_id = ….
            models.Index(fields=["job_id"], name="backgroundwork_job_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.shown_title} ({self.get_state_display()})"

    @property
    def shown_message(self) -> str:
        """The message in the reader's language (progress is kept as a phrase: core.phrases)."""
        from core.phrases import from_text

        return from_text(self.message)

    @property
    def shown_title(self) -> str:
        from core.phrases import from_text

        return from_text(self.title)

    @property
    def finished(self) -> bool:
        return self.state in (WorkState.DONE, WorkState.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.state == WorkState.DONE else None
        return min(100, int(100 * self.done / self.total))


class UserPreferences(models.Model):
    """A user's own interface language and time zone (the account page; the
    header's switcher sets the language). Empty: the browser's language, the
    site's ``TIME_ZONE``. Neither has database choices: adding a language is one
    line of settings (``LANGUAGES``), never a migration."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=16, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("user preferences")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language or '-'}, {self.time_zone or '-'}"


class TranslationKind(models.TextChoices):
    HUMAN = "human", _("human")
    MACHINE = "machine", _("machine")


@track
@versioned
class TextTranslation(VigilModel):
    """A translation of one free-text field of a record (a request in the
    person's words, a position statement, an event's description, a note, a
    source's title), beside the original the record keeps with its language.

    Any number per record and field, one per language; each says whether a
    person (who) or a machine made it and whether it was checked. A translation
    is read only through its record (``Translatable.translations``), so whoever
    may not see the record never sees its translations."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind of record")
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("object ID"))
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=64)
    language = models.CharField(_("language"), max_length=16, help_text=_('BCP 47 tag: "en", "ko", "uk", "ru".'))
    text = models.TextField(_("translation"))
    kind = models.CharField(_("made by"), max_length=8, choices=TranslationKind.choices, default=TranslationKind.HUMAN)
    translated_by = models.CharField(
        _("translated by"), max_length=200, blank=True, help_text=_("Who translated it, or which machine service.")
    )
    checked = models.BooleanField(
        _("checked"), default=False, help_text=_("Someone who reads both languages checked it.")
    )
    checked_by = models.CharField(_("checked by"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="text_translation_one_per_language",
                violation_error_message=_("This text already has a translation into that language."),
            )
        ]
        # A record's translations, read with the record (prefetch by content type and id).
        indexes = [models.Index(fields=["content_type", "object_id"], name="text_translation_record_idx")]

    def __str__(self) -> str:
        return f"{self.field} [{self.language}]: {self.text[:60]}"


class Translatable(models.Model):
    """A record whose free text keeps its original words and their translations.

    ``translatable_fields`` maps each such field to the field naming its original
    language; a concrete model adds ``translations = GenericRelation(TextTranslation)``."""

    translatable_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    @classmethod
    def translated_as(cls, query: str) -> models.Q:
        """Records of this model with a translation containing ``query`` (any case; any script)."""
        content_type = ContentType.objects.get_for_model(cls)
        matching = TextTranslation.objects.filter(content_type=content_type, text__icontains=query)
        return models.Q(pk__in=matching.values("object_id"))

    def original_language(self, field: str) -> str:
        return getattr(self, self.translatable_fields[field], "") or ""

    def translation_of(self, field: str, language: str):
        """The translation of ``field`` into ``language`` (prefetched ``translations``), or None."""
        base = language.split("-")[0]
        for translation in self.translations.all():
            if translation.field == field and translation.language.split("-")[0] == base:
                return translation
        return None
