"""Cases, their team members and the people each concerns."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.models.choices import CaseStatus, Confidentiality, Priority, SubjectRole
from casework.querysets import (
    CaseBoundQuerySet,
    CaseQuerySet,
)
from core.history import track
from core.models import BinnableModel, VigilModel, versioned


class ReferenceCounter(models.Model):
    """The last case number issued in each year. Numbers only go up, so a
    reference is never issued twice, even after its case is deleted. Used by
    the ``casework_next_case_reference()`` database function (migration 0002)."""

    year = models.PositiveSmallIntegerField(primary_key=True, verbose_name=_("year"))
    last_number = models.PositiveIntegerField(verbose_name=_("last number"))

    class Meta:
        verbose_name = _("case reference counter")
        verbose_name_plural = _("case reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


@track
@versioned
@pgtrigger.register(
    pgtrigger.ReadOnly(name="case_reference_read_only", fields=["reference"]),
)
class Case(BinnableModel, VigilModel):
    """A dossier: the people followed together, what they asked, who is involved.

    The reference (VIG-2025-0001) is issued by the database when the case is
    created, from a counter that never goes back, and can never be changed.
    """

    reference = models.CharField(
        max_length=20,
        unique=True,
        editable=False,
        db_default=models.Func(function="casework_next_case_reference", output_field=models.CharField()),
        verbose_name=_("reference"),
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    status = models.CharField(
        max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN, verbose_name=_("status")
    )
    priority = models.CharField(
        max_length=6, choices=Priority.choices, default=Priority.NORMAL, verbose_name=_("priority")
    )
    confidentiality = models.CharField(
        max_length=10,
        choices=Confidentiality.choices,
        default=Confidentiality.NORMAL,
        help_text=_("Restricted: only the lead, the team and data managers see the case and all it holds."),
        verbose_name=_("confidentiality"),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
        verbose_name=_("lead"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CaseMember", related_name="team_cases", blank=True, verbose_name=_("team")
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True, verbose_name=_("tags"))
    search_vector = models.GeneratedField(
        expression=SearchVector("reference", "title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("search vector"),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        permissions = [
            ("view_all_cases", "Can see every case, restricted ones included"),
            ("manage_team", "Can manage the team and confidentiality of the cases they lead"),
            ("restore_from_bin", "Can see the bin and restore what was deleted"),
            ("purge_from_bin", "Can purge from the bin for good"),
            ("export_cases", "Can export lists of cases"),
        ]
        indexes = [
            # The API's keyset pages (KeysetPagination): WHERE (opened_on, id) < (x, y)
            # ORDER BY opened_on DESC, id DESC LIMIT 51, the default order; and ?ordering= each of:
            models.Index(fields=["-opened_on", "-id"], name="case_opened_id_idx"),
            models.Index(fields=["reference", "id"], name="case_reference_id_idx"),
            models.Index(fields=["title", "id"], name="case_title_id_idx"),
            models.Index(fields=["status", "id"], name="case_status_id_idx"),
            models.Index(fields=["priority", "id"], name="case_priority_id_idx"),
            # Cases list filtered by status, newest first (dashboard and API default order).
            models.Index(fields=["status", "-opened_on"], name="case_status_opened_idx"),
            # "Review due" on the dashboard home.
            models.Index(fields=["next_review_on"], name="case_next_review_idx"),
            # visible_to(): restricted cases are few; this keeps the OR branch cheap.
            models.Index(fields=["confidentiality"], name="case_confidentiality_idx"),
            # Full-text search on cases (?search=).
            GinIndex(fields=["search_vector"], name="case_search_gin"),
            # Filter by tag.
            GinIndex(fields=["tags"], name="case_tags_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_reference_format",
                condition=Q(reference__regex=r"^VIG-[0-9]{4}-[0-9]{4,}$"),
                violation_error_message="A case reference looks like VIG-2025-0001.",
            ),
            models.CheckConstraint(
                name="case_closes_after_it_opens",
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                violation_error_message="A case cannot be closed before it was opened.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self) -> str:
        return reverse("case_detail", args=[self.reference])

    def may_bin(self, user) -> bool:
        """Binning a case needs the right to change its team (casework.access.can_manage_team)."""
        from casework.access import can_manage_team

        return can_manage_team(user, self)


@track
@versioned
class CaseMember(VigilModel):
    """A user on a case's team: who may see it when it is restricted."""

    case_path = "case"
    bin_paths = ("case",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members", verbose_name=_("case"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_memberships", verbose_name=_("user")
    )

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                name="casemember_unique",
                violation_error_message="This user is already on the case's team.",
            )
        ]
        indexes = [
            # visible_to(): EXISTS (member WHERE user = me AND case = outer case).
            models.Index(fields=["user", "case"], name="casemember_user_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.case}"


@track
@versioned
class CaseSubject(VigilModel):
    """A person in a case, with their role in it."""

    case_path = "case"
    bin_paths = ("case", "person")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects", verbose_name=_("case"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="case_subjects", verbose_name=_("person")
    )
    role = models.CharField(
        max_length=14, choices=SubjectRole.choices, default=SubjectRole.DETAINEE, verbose_name=_("role")
    )

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("person in the case")
        verbose_name_plural = _("people in the case")
        ordering = ["case_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                name="casesubject_unique",
                violation_error_message="This person is already in this case.",
            )
        ]
        indexes = [
            # person_visibility(): EXISTS (subject WHERE person = outer person ...).
            models.Index(fields=["person", "case"], name="casesubject_person_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url()
