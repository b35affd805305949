"""Internal notes, follow-ups and the logs of who viewed or exported a case."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from casework.models.cases import Case
from casework.querysets import (
    CaseBoundQuerySet,
)
from core.history import track
from core.models import TextTranslation, Translatable, VigilModel, versioned


def _when(at) -> str:
    """A log line's time, in the reader's zone and way ("1 Dec 2026 15:04", "2026. 12. 1. 15:04")."""
    return date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT") if at else ""


@track
@versioned
class CaseNote(Translatable, VigilModel):
    """An entry in the team's journal of a case."""

    case_path = "case"
    bin_paths = ("case",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(verbose_name=_("body"))
    language = models.CharField(
        max_length=16, blank=True, help_text=_('The note\'s language, BCP 47: "ko", "uk".'), verbose_name=_("language")
    )
    translations = GenericRelation(TextTranslation, related_query_name="case_note")
    translatable_fields = {"body": "language"}

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["case_id", "-created_at"]

    def __str__(self) -> str:
        return self.body[:80]

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url()


@track
@versioned
class FollowUp(VigilModel):
    """A dated task on a case, with who is to do it."""

    case_path = "case"
    bin_paths = ("case",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("case"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    due_on = models.DateField(_("due on"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("assignee"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    notes = models.TextField(blank=True, verbose_name=_("notes"))

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["done_at", "due_on", "id"]
        indexes = [
            # "Follow-ups due for me": open ones by assignee and due date.
            models.Index(
                fields=["assignee", "due_on"], name="followup_open_due_idx", condition=Q(done_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        from django.utils.formats import date_format

        return gettext("%(title)s (due %(due)s)") % {
            "title": self.title,
            "due": date_format(self.due_on, "DATE_FORMAT"),
        }

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


@pgtrigger.register(pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete))
class CaseView(models.Model):
    """Who opened a restricted case, when, through what and from where.

    Written by ``casework.view_log.case_views_record`` (called by
    ``core.middleware.ViewLogMiddleware``) once per successful response and
    restricted case it showed, in every interface: dashboard, API and admin,
    lists and details alike; never holds the case's content. Only data managers
    read it.
    """

    # No database constraints: the log outlives a purged case or a deleted user.
    case = models.ForeignKey(
        Case,
        on_delete=models.DO_NOTHING,
        related_name="views",
        db_constraint=False,
        db_index=False,
        verbose_name=_("case"),
    )
    case_reference = models.CharField(max_length=20, verbose_name=_("case reference"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("user"),
    )
    username = models.CharField(max_length=150, verbose_name=_("username"))
    at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("at"))
    channel = models.CharField(max_length=20, verbose_name=_("channel"))
    what = models.CharField(
        max_length=40,
        default="page",
        help_text=_('"page", "list", "timeline", "dossier (full)"... (exports: ExportLog)'),
        verbose_name=_("what"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("view of a restricted case")
        verbose_name_plural = _("views of restricted cases")
        ordering = ["-at"]
        indexes = [
            # "Who saw this case": the admin list filtered by case, newest first.
            models.Index(fields=["case", "-at"], name="caseview_case_at_idx"),
        ]

    def __str__(self) -> str:
        return gettext("%(user)s viewed %(case)s (%(channel)s, %(at)s)") % {
            "user": self.username,
            "case": self.case_reference,
            "channel": self.channel,
            "at": _when(self.at),
        }


@pgtrigger.register(pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete))
class ExportLog(models.Model):
    """Who exported what, when, through what and from where: the filters and the
    number of rows, never the rows themselves. Only data managers read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("user"),
    )
    username = models.CharField(max_length=150, verbose_name=_("username"))
    at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("at"))
    channel = models.CharField(max_length=20, verbose_name=_("channel"))
    what = models.CharField(max_length=60, help_text=_('"cases.csv", ...'), verbose_name=_("what"))
    query = models.TextField(_("filters"), blank=True)
    rows = models.PositiveIntegerField(verbose_name=_("rows"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    profile = models.CharField(
        max_length=20,
        blank=True,
        help_text=_('"full", "partner", "public" (exchange/exports/).'),
        verbose_name=_("profile"),
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-at"]

    def __str__(self) -> str:
        return ngettext(
            "%(user)s exported %(rows)s row of %(what)s (%(at)s)",
            "%(user)s exported %(rows)s rows of %(what)s (%(at)s)",
            self.rows or 0,
        ) % {"user": self.username, "rows": self.rows, "what": self.what, "at": _when(self.at)}
