"""What detainees asked for (in their words) and how each request moved."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from casework.models.actors import Government
from casework.models.cases import Case
from casework.models.choices import FreelyExpressed, RequestCategory, RequestChannel, RequestStatus
from casework.querysets import (
    CaseBoundQuerySet,
    StatedRequestQuerySet,
)
from core.dates import FuzzyDateAttribute, fuzzy_date_constraints, fuzzy_date_fields
from core.history import track
from core.models import BinnableModel, TextTranslation, Translatable, VigilModel, versioned

#: When a request last moved: its latest update's reported date (when it was recorded if the
#: date is unknown), else when its status last changed, was first stated or was recorded (UTC days).
LAST_MOVED_SQL = """COALESCE(
    (SELECT COALESCE(u.occurred_on, (u.created_at AT TIME ZONE 'UTC')::date)
       FROM casework_requestupdate u WHERE u.request_id = NEW.id
      ORDER BY u.occurred_on DESC NULLS LAST, u.created_at DESC LIMIT 1),
    (NEW.status_changed_at AT TIME ZONE 'UTC')::date,
    NEW.first_stated_on,
    (NEW.created_at AT TIME ZONE 'UTC')::date)"""


#: After its updates change: touch the requests whose last_moved_on is no longer right
#: (their BEFORE UPDATE trigger sets it), and only those (each touch bumps a version).
REQUEST_MOVED_SQL = (
    "UPDATE casework_statedrequest r SET last_moved_on = r.last_moved_on "  # noqa: S608 (constants only)
    "WHERE r.id IN ({ids}) AND r.last_moved_on IS DISTINCT FROM "
    + LAST_MOVED_SQL.replace("NEW.", "r.").replace("{", "{{").replace("}", "}}")
    + "; RETURN NULL;"
)


#: When a request last moved once the update being added is in (LAST_MOVED_SQL, the trigger's rule, over
#: its updates and one more dated %s and created at %s): what the update's trigger will set, worked out
#: before the update is written.
_UPDATES = "FROM casework_requestupdate u WHERE u.request_id = NEW.id"
if _UPDATES not in LAST_MOVED_SQL:  # the rule this reads changed: say so at import
    raise ImportError("casework.models.requests: LAST_MOVED_SQL no longer reads the updates as expected")
MOVED_WITH_UPDATE_SQL = LAST_MOVED_SQL.replace(
    _UPDATES,
    "FROM (SELECT occurred_on, created_at FROM casework_requestupdate WHERE request_id = NEW.id "
    "UNION ALL SELECT %s::date, %s::timestamptz) u",
).replace("NEW.", "r.")
MOVE_STATUS_SQL = (
    "UPDATE casework_statedrequest r SET status = %s, status_changed_at = %s, updated_at = %s "  # noqa: S608
    "WHERE id = %s "
    f"RETURNING last_moved_on, version, {MOVED_WITH_UPDATE_SQL}"
)


@track
@versioned
class StatedRequest(Translatable, BinnableModel, VigilModel):
    """What a person asked for, to whom, in their words, and where it stands.

    ``status`` is never edited directly: ``casework.services.request_update_status``
    changes it and adds the RequestUpdate that tells the story, in one transaction.
    """

    case_path = "case"
    bin_paths = ("", "case", "person")
    fuzzy_dates = past_dates = ("first_stated_on",)
    translatable_fields = {"words": "words_language"}

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests", verbose_name=_("case"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="requests", verbose_name=_("person")
    )
    category = models.CharField(max_length=15, choices=RequestCategory.choices, verbose_name=_("category"))
    summary = models.CharField(max_length=300, help_text=_('"Transfer to South Korea".'), verbose_name=_("summary"))
    words = models.TextField(_("in their words"), blank=True)
    words_language = models.CharField(
        _("language of their words"), max_length=16, blank=True, help_text=_('BCP 47 tag: "ko", "uk", "ru", "en".')
    )
    translations = GenericRelation(TextTranslation, related_query_name="stated_request")
    destination_country = CountryField(_("destination"), blank=True, help_text=_("For a transfer."))
    addressed_to = models.ForeignKey(
        Government,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_received",
        verbose_name=_("addressed to"),
    )
    first_stated_on, first_stated_on_precision = fuzzy_date_fields(_("first stated on"))
    first_stated = FuzzyDateAttribute("first_stated_on")
    channel = models.CharField(max_length=9, choices=RequestChannel.choices, blank=True, verbose_name=_("channel"))
    status = models.CharField(
        max_length=18,
        choices=RequestStatus.choices,
        default=RequestStatus.STATED,
        editable=False,
        verbose_name=_("status"),
    )
    status_changed_at = models.DateTimeField(
        _("status last changed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the latest update was recorded: stalled requests are those where nothing moved."),
    )
    last_moved_on = models.DateField(
        _("last moved on"),
        null=True,
        editable=False,
        help_text=_(
            "The date of the latest update as reported (when it was recorded if its date is unknown), "
            "else when the status last changed, was first stated or recorded. Kept by the database."
        ),
    )
    freely_expressed = models.CharField(
        _("expressed freely"), max_length=7, choices=FreelyExpressed.choices, default=FreelyExpressed.UNKNOWN
    )
    freely_verified_by = models.ForeignKey(
        Government,
        verbose_name=_("free will verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verified_requests",
    )
    freely_verified_on = models.DateField(_("free will verified on"), null=True, blank=True)

    objects = StatedRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["case_id", "person_id", "first_stated_on", "id"]
        constraints = [
            *fuzzy_date_constraints("first_stated_on", "statedrequest", past=True),
            models.CheckConstraint(
                name="statedrequest_destination_only_for_transfer",
                condition=Q(destination_country="") | Q(category__in=["transfer", "asylum"]),
                violation_error_message="Only a transfer or asylum request has a destination country.",
            ),
        ]
        indexes = [
            # requests?status=stalled&category=transfer, and the dashboard's counts by status.
            models.Index(fields=["status", "category"], name="request_status_category_idx"),
            # Stalled requests: nothing moved since ... (oldest first).
            models.Index(fields=["status_changed_at"], name="request_status_changed_idx"),
            # The dashboard home's stalled requests, oldest movement first, walked in order
            # (casework.selectors.stalled_requests).
            models.Index(fields=["last_moved_on", "id"], name="request_last_moved_idx"),
        ]
        triggers = [
            # last_moved_on, on every write of the request. A request's updates are only
            # added, by request_update_status, which then saves the request: that save
            # recomputes it from the new update.
            pgtrigger.Trigger(
                name="last_moved_on",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=f"NEW.last_moved_on := {LAST_MOVED_SQL}; RETURN NEW;",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.display_name}: {self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_statedrequest_change", args=[self.pk])


@track
@versioned
class RequestUpdate(VigilModel):
    """One step in a request's story: a change of status, or a reaffirmation.

    Added only by ``casework.services.request_update_status``.
    """

    case_path = "request__case"
    bin_paths = ("request", "request__case")
    fuzzy_dates = past_dates = ("occurred_on",)

    request = models.ForeignKey(
        StatedRequest, on_delete=models.CASCADE, related_name="updates", verbose_name=_("request")
    )
    previous_status = models.CharField(
        max_length=18, choices=RequestStatus.choices, editable=False, verbose_name=_("previous status")
    )
    status = models.CharField(max_length=18, choices=RequestStatus.choices, verbose_name=_("status"))
    occurred_on, occurred_on_precision = fuzzy_date_fields(_("happened on"), required=False)
    occurred = FuzzyDateAttribute("occurred_on")
    note = models.TextField(blank=True, verbose_name=_("note"))
    source = models.ForeignKey(
        "events.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="request_updates",
        verbose_name=_("source"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("request update")
        verbose_name_plural = _("request updates")
        ordering = ["request_id", F("occurred_on").asc(nulls_last=True), "created_at", "id"]
        constraints = [*fuzzy_date_constraints("occurred_on", "requestupdate", past=True)]
        indexes = [
            # A request's story, in date order (case page, timeline).
            models.Index(fields=["request", "occurred_on"], name="requestupdate_request_date_idx"),
        ]
        # Its request's last_moved_on, whatever changed its updates: one added, re-dated,
        # deleted (in the admin, by a purge, by hand in SQL). Once per statement, for the
        # requests it touched; their own trigger (StatedRequest.last_moved_on) recomputes it.
        triggers = [
            pgtrigger.Trigger(
                name=f"request_moved_on_{operation}",
                when=pgtrigger.After,
                operation=getattr(pgtrigger, operation.title()),
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(**dict.fromkeys(sides, "touched")),
                func=REQUEST_MOVED_SQL.format(
                    ids=" UNION ".join(f"SELECT request_id FROM {table}" for table in tables)  # noqa: S608
                ),
            )
            for operation, sides, tables in (
                ("insert", ("new",), ("touched",)),
                ("delete", ("old",), ("touched",)),
            )
        ] + [
            pgtrigger.Trigger(
                name="request_moved_on_update",
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(old="touched_before", new="touched"),
                func=REQUEST_MOVED_SQL.format(
                    ids="SELECT request_id FROM touched UNION SELECT request_id FROM touched_before"
                ),
            )
        ]

    def __str__(self) -> str:
        if self.is_reaffirmation:
            return f"{self.occurred}: reaffirmed ({self.get_status_display()})"
        return f"{self.occurred}: {self.get_previous_status_display()} → {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url()

    @property
    def is_reaffirmation(self) -> bool:
        return self.previous_status == self.status
