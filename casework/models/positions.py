"""The governments involved in a case, what they said on each request, interventions and legal arguments."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.models.actors import Actor, Government, LegalBasis
from casework.models.cases import Case
from casework.models.choices import GovernmentRole, InterventionKind, InterventionStatus, Stance
from casework.models.requests import StatedRequest
from casework.querysets import (
    CaseBoundQuerySet,
    InvolvementQuerySet,
)
from core.dates import FuzzyDateAttribute, fuzzy_date_constraints, fuzzy_date_fields, refuse_future
from core.history import track
from core.models import TextTranslation, Translatable, VigilModel, versioned

#: The rule, written once: only a conditional position may depend on another request (its condition is
#: that request's outcome). The database refuses any other row (the constraint on PositionStatement); its
#: clean() says so on the field for the admin, the API and the dashboard, which all save through it.
CONDITION_NEEDS_CONDITIONAL = _("Only a conditional position can depend on another request.")


@track
@versioned
class Involvement(VigilModel):
    """A government's part in a case. Its current position is its latest statement."""

    case_path = "case"
    bin_paths = ("case",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements", verbose_name=_("case"))
    government = models.ForeignKey(
        Government, on_delete=models.PROTECT, related_name="involvements", verbose_name=_("government")
    )
    role = models.CharField(max_length=20, choices=GovernmentRole.choices, verbose_name=_("role"))
    notes = models.TextField(blank=True, verbose_name=_("notes"))

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        verbose_name = _("government involved")
        verbose_name_plural = _("governments involved")
        ordering = ["case_id", "role", "government__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "government"],
                name="involvement_unique",
                violation_error_message="This government is already involved in this case.",
            )
        ]
        indexes = [
            # cases?government=KR&government_role=receiving_state
            models.Index(fields=["government", "role"], name="involvement_govt_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.government} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url()

    @property
    def current_position(self) -> PositionStatement | None:
        """The latest statement, on the case or any of its requests."""
        return self.statements.order_by(*PositionStatement.LATEST_FIRST).first()


@track
@versioned
class PositionStatement(Translatable, VigilModel):
    """A dated statement of a government's position on the case or on one request.

    Statements are only added, never edited into something else: the history
    of positions is the record. The current position is the latest.
    """

    case_path = "involvement__case"
    bin_paths = ("involvement__case", "request")
    fuzzy_dates = past_dates = ("stated_on",)
    translatable_fields = {"statement_original": "statement_language"}
    LATEST_FIRST = (F("stated_on").desc(nulls_last=True), "-created_at", "-id")

    involvement = models.ForeignKey(
        Involvement, on_delete=models.CASCADE, related_name="statements", verbose_name=_("involvement")
    )
    request = models.ForeignKey(
        StatedRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="positions",
        help_text=_("Leave empty for a position on the case as a whole."),
        verbose_name=_("request"),
    )
    stated_on, stated_on_precision = fuzzy_date_fields(_("stated on"))
    stated = FuzzyDateAttribute("stated_on")
    stance = models.CharField(max_length=20, choices=Stance.choices, verbose_name=_("stance"))
    condition = models.TextField(
        blank=True, help_text=_('"Will accept them if their intentions are verified."'), verbose_name=_("condition")
    )
    condition_request = models.ForeignKey(
        StatedRequest,
        verbose_name=_("condition depends on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conditions_on",
        help_text=_("Where the condition is another request's verification."),
    )
    statement_original = models.TextField(_("statement (original language)"), blank=True)
    statement_language = models.CharField(_("language"), max_length=35, blank=True)
    translations = GenericRelation(TextTranslation, related_query_name="position_statement")
    source = models.ForeignKey(
        "events.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("source"),
    )
    spoken_by = models.ForeignKey(
        Actor,
        verbose_name=_("spoken by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions_spoken",
        help_text=_("Who spoke for the government: a minister, a spokesperson."),
    )
    statement_key = models.UUIDField(
        _("one statement"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Shared by the positions of one statement on several requests: said once, recorded once "
            "(casework.services.position_record with several requests)."
        ),
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
        verbose_name = _("position statement")
        verbose_name_plural = _("position statements")
        ordering = ["involvement_id", F("stated_on").asc(nulls_last=True), "created_at", "id"]
        constraints = [
            *fuzzy_date_constraints("stated_on", "positionstatement", past=True),
            models.CheckConstraint(
                name="positionstatement_condition_needs_conditional",
                condition=Q(condition_request__isnull=True) | Q(stance="conditional"),
                violation_error_message=CONDITION_NEEDS_CONDITIONAL,
            ),
        ]
        indexes = [
            # Current position: latest statement of an involvement.
            models.Index(fields=["involvement", "-stated_on"], name="position_latest_idx"),
            # Dashboard: conditional positions across my cases.
            models.Index(fields=["stance"], name="position_stance_idx"),
            # The dashboard home's current conditional positions, oldest first, walked in order
            # (casework.selectors.conditional_positions).
            models.Index(F("stance"), F("stated_on").asc(nulls_first=True), F("id"), name="position_conditional_idx"),
            # The other requests one statement covers (the case page and the API group them).
            models.Index(fields=["statement_key"], name="position_statement_key_idx"),
        ]

    def clean(self) -> None:
        super().clean()
        errors = {}
        case_id = self.involvement.case_id if self.involvement_id else None
        for field in ("request", "condition_request"):
            linked = getattr(self, field)
            if linked is not None and case_id is not None and linked.case_id != case_id:
                errors[field] = _("This request belongs to another case.")
        if self.condition_request_id and self.stance != Stance.CONDITIONAL:
            errors["condition_request"] = CONDITION_NEEDS_CONDITIONAL
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        on = f" on {self.request.summary}" if self.request_id else ""
        return f"{self.involvement.government}{on}: {self.get_stance_display()} ({self.stated})"

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_positionstatement_change", args=[self.pk])


@track
@versioned
class Intervention(VigilModel):
    """What the advocates did: a letter, a meeting, a petition, a UN communication."""

    case_path = "case"
    bin_paths = ("case",)
    fuzzy_dates = ("occurred_on",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions", verbose_name=_("case"))
    kind = models.CharField(max_length=16, choices=InterventionKind.choices, verbose_name=_("kind"))
    government = models.ForeignKey(
        Government,
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
    )
    addressed_to_actor = models.ForeignKey(
        Actor,
        verbose_name=_("addressed to (organisation or person)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions_received",
        help_text=_("The ICRC, an NGO, an official: whom it was addressed to, beside or instead of a government."),
    )
    request = models.ForeignKey(
        StatedRequest,
        verbose_name=_("about request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
    )
    occurred_on, occurred_on_precision = fuzzy_date_fields(_("date"))
    occurred = FuzzyDateAttribute("occurred_on")
    asked = models.TextField(_("what we asked"), blank=True)
    status = models.CharField(
        max_length=12, choices=InterventionStatus.choices, default=InterventionStatus.PLANNED, verbose_name=_("status")
    )
    response = models.ForeignKey(
        PositionStatement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_interventions",
        verbose_name=_("response"),
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["case_id", F("occurred_on").asc(nulls_last=True), "id"]
        constraints = [*fuzzy_date_constraints("occurred_on", "intervention")]
        indexes = [
            models.Index(fields=["case", "occurred_on"], name="intervention_case_date_idx"),
            # A case's timeline page (events.timeline.page): its interventions in the page's order
            # (unknown dates last), walked from the cursor and stopped at the page's size.
            models.Index(
                F("case"),
                Coalesce("occurred_on", Value(datetime.date.max), output_field=models.DateField()),
                F("id"),
                name="intervention_case_sort_idx",
            ),
        ]

    def clean(self) -> None:
        """Its request and the statement answering it belong to its own case, and it was
        made by someone who may see that case (a restricted case: its lead, its team, a
        data manager)."""
        super().clean()
        errors = {}
        if self.case_id is not None:
            if self.request_id is not None and self.request.case_id != self.case_id:
                errors["request"] = _("This request belongs to another case.")
            if self.response_id is not None and self.response.involvement.case_id != self.case_id:
                errors["response"] = _("This statement belongs to another case.")
            if (
                self.made_by_id is not None
                and not Case.objects.visible_to(self.made_by).filter(pk=self.case_id).exists()
            ):
                errors["made_by"] = _("Made by someone who may not see this case: choose someone on its team.")
        if self.status != InterventionStatus.PLANNED:
            # Only a planned letter or meeting lies ahead; one sent, held or answered has happened.
            for name, message in refuse_future(self, ("occurred_on",)).items():
                errors[name] = _("%(refusal)s Only a planned intervention has a date ahead.") % {"refusal": message}
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        to = " and ".join(str(x) for x in (self.government, self.addressed_to_actor) if x is not None)
        return f"{self.get_kind_display()}{' to ' + to if to else ''} ({self.occurred})"

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_intervention_change", args=[self.pk])


@track
@versioned
class LegalArgument(VigilModel):
    """An argument resting on a legal basis, made for a request or in an intervention
    ("granting them asylum would align with South Korea's humanitarian obligations"):
    the basis from the vocabulary, the argument in words, who makes it, the source."""

    case_path = "case"
    bin_paths = ("case", "request")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_arguments", verbose_name=_("case"))
    basis = models.ForeignKey(
        LegalBasis, verbose_name=_("legal basis"), on_delete=models.PROTECT, related_name="arguments"
    )
    request = models.ForeignKey(
        StatedRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="legal_arguments",
        verbose_name=_("request"),
    )
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="legal_arguments",
        verbose_name=_("intervention"),
    )
    argument = models.TextField(blank=True, help_text=_("The argument in words."), verbose_name=_("argument"))
    argued_by = models.ForeignKey(
        Actor, verbose_name=_("argued by"), on_delete=models.PROTECT, null=True, blank=True, related_name="arguments"
    )
    source = models.ForeignKey(
        "events.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_arguments",
        verbose_name=_("source"),
    )

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal argument")
        verbose_name_plural = _("legal arguments")
        ordering = ["case_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="legalargument_for_request_or_intervention",
                condition=Q(request__isnull=False) | Q(intervention__isnull=False),
                violation_error_message="An argument is made for a request or in an intervention (or both).",
            ),
        ]
        indexes = [
            # A request's arguments (case page, API ?request=).
            models.Index(fields=["request"], name="legalargument_request_idx"),
            models.Index(fields=["intervention"], name="legalargument_interv_idx"),
        ]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.case_id is not None:
            if self.request_id is not None and self.request.case_id != self.case_id:
                errors["request"] = _("This request belongs to another case.")
            if self.intervention_id is not None and self.intervention.case_id != self.case_id:
                errors["intervention"] = _("This intervention belongs to another case.")
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return f"{self.basis}: {self.argument[:80]}" if self.argument else str(self.basis)

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_legalargument_change", args=[self.pk])
