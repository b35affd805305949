"""Cases, what detainees asked for, the governments involved and what they said."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from casework.querysets import (
    ActorQuerySet,
    CaseBoundQuerySet,
    CaseQuerySet,
    InvolvementQuerySet,
    StatedRequestQuerySet,
)
from core.dates import FuzzyDateAttribute, fuzzy_date_constraints, fuzzy_date_fields
from core.history import track
from core.models import BinnableModel, TextTranslation, Translatable, VigilModel, versioned
from people.models import NameKeysMixin

# ---------------------------------------------------------------- governments


class GovernmentKind(models.TextChoices):
    STATE = "state", _("state")
    DE_FACTO = "de_facto", _("de facto authority")
    ORGANISATION = "organisation", _("international organisation")


@track
@versioned
class Government(VigilModel):
    """A state, a de facto authority or an organisation a request can be addressed to."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=12, choices=GovernmentKind.choices, default=GovernmentKind.STATE)
    country = CountryField(blank=True, db_index=True, help_text="ISO 3166 country, where it has one.")

    class Meta:
        verbose_name = "government or organisation"
        verbose_name_plural = "governments and organisations"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_government_change", args=[self.pk])


# --------------------------------------------------------------------- actors


class ActorKind(models.TextChoices):
    ORGANISATION = "organisation", "organisation"
    INDIVIDUAL = "individual", "individual"


@track
@versioned
class Actor(NameKeysMixin, VigilModel):
    """Someone other than a government who speaks, acts or is present: an NGO and its
    head, the ICRC, a journalist or documentary producer, a ministry's spokesperson.

    Names in every script: ``name`` (romanized or English), ``name_original`` and
    ``other_names``, all findable by the people/ name keys (``people.names``), so
    장세율, Jang Se-yul and Chang Se Yul are one actor. Actors are reference data,
    like governments: every signed-in user sees them; what links them to a case
    (an event they were at, a source they wrote) is visible only with that case.
    """

    kind = models.CharField(max_length=12, choices=ActorKind.choices)
    name = models.CharField("name (romanized)", max_length=200)
    name_original = models.CharField("name in original script", max_length=200, blank=True)
    other_names = ArrayField(
        models.CharField(max_length=200),
        verbose_name="other names and spellings",
        default=list,
        blank=True,
        help_text="Every other spelling, one per line in forms.",
    )
    role = models.CharField(
        max_length=200, blank=True, help_text='"Head", "spokesperson of the foreign ministry", "documentary producer".'
    )
    organisation = models.ForeignKey(
        "self",
        verbose_name="of the organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": ActorKind.ORGANISATION},
        help_text="For an individual: the organisation they head or work for.",
    )
    government = models.ForeignKey(
        Government,
        verbose_name="speaks for",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actors",
        help_text="A spokesperson's or official's government.",
    )
    country = CountryField(blank=True, help_text="Where they are based.")
    description = models.TextField(blank=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = "actor (organisation or person)"
        verbose_name_plural = "actors (organisations and people)"
        ordering = ["name", "id"]
        indexes = [
            # Name search in any script: ActorQuerySet.search_names (keys && query keys).
            GinIndex(fields=["name_keys"], name="actor_name_keys_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                name="actor_organisation_only_for_individual",
                condition=Q(organisation__isnull=True) | Q(kind="individual"),
                violation_error_message="Only an individual belongs to an organisation.",
            ),
        ]

    def __str__(self) -> str:
        name = f"{self.name} ({self.name_original})" if self.name_original else self.name
        return f"{name}, {self.role}" if self.role else name

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_actor_change", args=[self.pk])

    def name_key_sources(self) -> list[str]:
        return [self.name, self.name_original, *self.other_names]

    def clean(self) -> None:
        super().clean()
        if self.organisation_id is not None and self.organisation.kind != ActorKind.ORGANISATION:
            raise ValidationError({"organisation": "Choose an organisation."})


@track
@versioned
class LegalBasis(VigilModel):
    """A rule an argument or a request rests on: a vocabulary data managers extend
    (GC III Art. 118, non-refoulement, the receiving state's nationality law...)."""

    name = models.CharField(max_length=200, unique=True, help_text='"GC III Art. 118: repatriation".')
    instrument = models.CharField(
        max_length=200, blank=True, help_text='"Third Geneva Convention", "Constitution of the Republic of Korea".'
    )
    summary = models.TextField(blank=True, help_text="What it says, in a sentence.")
    url = models.URLField("URL", max_length=1000, blank=True)

    class Meta:
        verbose_name = "legal basis"
        verbose_name_plural = "legal bases"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_legalbasis_change", args=[self.pk])


# ---------------------------------------------------------------------- cases


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACTIVE = "active", _("active")
    STALLED = "stalled", _("stalled")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


class Priority(models.TextChoices):
    URGENT = "urgent", _("urgent")
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")
    LOW = "low", _("low")


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("normal")
    RESTRICTED = "restricted", _("restricted (team only)")


class ReferenceCounter(models.Model):
    """The last case number issued in each year. Numbers only go up, so a
    reference is never issued twice, even after its case is deleted. Used by
    the ``casework_next_case_reference()`` database function (migration 0002)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField()

    class Meta:
        verbose_name = "case reference counter"

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
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    priority = models.CharField(max_length=6, choices=Priority.choices, default=Priority.NORMAL)
    confidentiality = models.CharField(
        max_length=10,
        choices=Confidentiality.choices,
        default=Confidentiality.NORMAL,
        help_text="Restricted: only the lead, the team and data managers see the case and all it holds.",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="led_cases"
    )
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, through="CaseMember", related_name="team_cases", blank=True)
    opened_on = models.DateField("opened on")
    closed_on = models.DateField("closed on", null=True, blank=True)
    next_review_on = models.DateField("next review", null=True, blank=True)
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("reference", "title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "case"
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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_memberships")

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = "team member"
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


class SubjectRole(models.TextChoices):
    DETAINEE = "detainee", _("detainee")
    FAMILY_MEMBER = "family_member", _("family member")
    WITNESS = "witness", _("witness")
    REPRESENTATIVE = "representative", _("representative")


@track
@versioned
class CaseSubject(VigilModel):
    """A person in a case, with their role in it."""

    case_path = "case"
    bin_paths = ("case", "person")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_subjects")
    role = models.CharField(max_length=14, choices=SubjectRole.choices, default=SubjectRole.DETAINEE)

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = "person in the case"
        verbose_name_plural = "people in the case"
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


# ------------------------------------------------------------------- requests


class RequestCategory(models.TextChoices):
    TRANSFER = "transfer", _("transfer to a third country")
    ASYLUM = "asylum", _("asylum")
    NON_RETURN = "non_return", _("non-return")
    MEDICAL_CARE = "medical_care", _("medical care")
    MEDICINE = "medicine", _("medicine")
    CLOTHING = "clothing", _("clothing")
    FOOD = "food", _("food")
    READING = "reading", _("reading material")
    TOBACCO = "tobacco", _("tobacco")
    FAMILY_CONTACT = "family_contact", _("contact with family")
    LEGAL_COUNSEL = "legal_counsel", _("legal counsel")
    CONSULAR_ACCESS = "consular_access", _("consular access")
    OTHER = "other", _("other")


#: Supplies: minor requests, listed apart ("waiting supplies"), never in the stalled list.
MINOR_CATEGORIES = (
    RequestCategory.MEDICINE,
    RequestCategory.CLOTHING,
    RequestCategory.FOOD,
    RequestCategory.READING,
    RequestCategory.TOBACCO,
)


class RequestChannel(models.TextChoices):
    INTERVIEW = "interview", _("interview")
    LETTER = "letter", _("letter")
    MEETING = "meeting", _("meeting")
    MEDIA = "media", _("media")
    OTHER = "other", _("other")


class RequestStatus(models.TextChoices):
    STATED = "stated", _("stated")
    UNDER_VERIFICATION = "under_verification", _("under verification")
    VERIFIED = "verified", _("verified")
    IN_PROGRESS = "in_progress", _("in progress")
    GRANTED = "granted", _("granted")
    PARTLY_MET = "partly_met", _("partly met")
    DENIED = "denied", _("denied")
    WITHDRAWN = "withdrawn", _("withdrawn")
    STALLED = "stalled", _("stalled")


# A request in one of these states is settled: it can no longer stall.
SETTLED_REQUEST_STATUSES = (RequestStatus.GRANTED, RequestStatus.DENIED, RequestStatus.WITHDRAWN)


class FreelyExpressed(models.TextChoices):
    UNKNOWN = "unknown", _("not yet known")
    YES = "yes", _("yes, verified")
    NO = "no", _("no (under pressure)")


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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="requests")
    category = models.CharField(max_length=15, choices=RequestCategory.choices)
    summary = models.CharField(max_length=300, help_text='"Transfer to South Korea".')
    words = models.TextField("in their words", blank=True)
    words_language = models.CharField(
        "language of their words", max_length=16, blank=True, help_text='BCP 47 tag: "ko", "uk", "ru", "en".'
    )
    translations = GenericRelation(TextTranslation, related_query_name="stated_request")
    destination_country = CountryField("destination", blank=True, help_text="For a transfer.")
    addressed_to = models.ForeignKey(
        Government, on_delete=models.PROTECT, null=True, blank=True, related_name="requests_received"
    )
    first_stated_on, first_stated_on_precision = fuzzy_date_fields("first stated on")
    first_stated = FuzzyDateAttribute("first_stated_on")
    channel = models.CharField(max_length=9, choices=RequestChannel.choices, blank=True)
    status = models.CharField(
        max_length=18, choices=RequestStatus.choices, default=RequestStatus.STATED, editable=False
    )
    status_changed_at = models.DateTimeField(
        "status last changed",
        null=True,
        blank=True,
        editable=False,
        help_text="When the latest update was recorded: stalled requests are those where nothing moved.",
    )
    last_moved_on = models.DateField(
        "last moved on",
        null=True,
        editable=False,
        help_text="The date of the latest update as reported (when it was recorded if its date is unknown), "
        "else when the status last changed, was first stated or recorded. Kept by the database.",
    )
    freely_expressed = models.CharField(
        "expressed freely", max_length=7, choices=FreelyExpressed.choices, default=FreelyExpressed.UNKNOWN
    )
    freely_verified_by = models.ForeignKey(
        Government,
        verbose_name="free will verified by",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verified_requests",
    )
    freely_verified_on = models.DateField("free will verified on", null=True, blank=True)

    objects = StatedRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "request"
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

    request = models.ForeignKey(StatedRequest, on_delete=models.CASCADE, related_name="updates")
    previous_status = models.CharField(max_length=18, choices=RequestStatus.choices, editable=False)
    status = models.CharField(max_length=18, choices=RequestStatus.choices)
    occurred_on, occurred_on_precision = fuzzy_date_fields("happened on", required=False)
    occurred = FuzzyDateAttribute("occurred_on")
    note = models.TextField(blank=True)
    source = models.ForeignKey(
        "events.Source", on_delete=models.PROTECT, null=True, blank=True, related_name="request_updates"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = "request update"
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


# ----------------------------------------------------------------- governments in a case


class GovernmentRole(models.TextChoices):
    DETAINING_STATE = "detaining_state", _("detaining state")
    STATE_OF_NATIONALITY = "state_of_nationality", _("state of nationality")
    RECEIVING_STATE = "receiving_state", _("receiving state")
    BELLIGERENT_ALLY = "belligerent_ally", _("belligerent ally")
    MEDIATOR = "mediator", _("mediator")
    OTHER = "other", _("other")


@track
@versioned
class Involvement(VigilModel):
    """A government's part in a case. Its current position is its latest statement."""

    case_path = "case"
    bin_paths = ("case",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField(max_length=20, choices=GovernmentRole.choices)
    notes = models.TextField(blank=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        verbose_name = "government involved"
        verbose_name_plural = "governments involved"
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


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("supports")
    CONDITIONAL = "conditional", _("conditional")
    OPPOSES = "opposes", _("opposes")
    NO_RESPONSE = "no_response", _("no response")
    DENIES = "denies", _("denies")
    ASKS_FOR_INFORMATION = "asks_for_information", _("asks for information")
    UNDER_CONSIDERATION = "under_consideration", _("under consideration (weighing)")
    UNKNOWN = "unknown", _("unknown")


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

    involvement = models.ForeignKey(Involvement, on_delete=models.CASCADE, related_name="statements")
    request = models.ForeignKey(
        StatedRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="positions",
        help_text="Leave empty for a position on the case as a whole.",
    )
    stated_on, stated_on_precision = fuzzy_date_fields("stated on")
    stated = FuzzyDateAttribute("stated_on")
    stance = models.CharField(max_length=20, choices=Stance.choices)
    condition = models.TextField(blank=True, help_text='"Will accept them if their intentions are verified."')
    condition_request = models.ForeignKey(
        StatedRequest,
        verbose_name="condition depends on",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conditions_on",
        help_text="Where the condition is another request's verification.",
    )
    statement_original = models.TextField("statement (original language)", blank=True)
    statement_language = models.CharField("language", max_length=35, blank=True)
    statement_translation = models.TextField("statement (translation)", blank=True)
    translations = GenericRelation(TextTranslation, related_query_name="position_statement")
    source = models.ForeignKey(
        "events.Source", on_delete=models.PROTECT, null=True, blank=True, related_name="positions"
    )
    spoken_by = models.ForeignKey(
        Actor,
        verbose_name="spoken by",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions_spoken",
        help_text="Who spoke for the government: a minister, a spokesperson.",
    )
    statement_key = models.UUIDField(
        "one statement",
        null=True,
        blank=True,
        editable=False,
        help_text="Shared by the positions of one statement on several requests: said once, recorded once "
        "(casework.services.position_record with several requests).",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = "position statement"
        ordering = ["involvement_id", F("stated_on").asc(nulls_last=True), "created_at", "id"]
        constraints = [
            *fuzzy_date_constraints("stated_on", "positionstatement", past=True),
            models.CheckConstraint(
                name="positionstatement_condition_needs_conditional",
                condition=Q(condition_request__isnull=True) | Q(stance="conditional"),
                violation_error_message="Only a conditional position can depend on another request.",
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
                errors[field] = "This request belongs to another case."
        if self.condition_request_id and self.stance != Stance.CONDITIONAL:
            errors["condition_request"] = "Only a conditional position can depend on another request."
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        on = f" on {self.request.summary}" if self.request_id else ""
        return f"{self.involvement.government}{on}: {self.get_stance_display()} ({self.stated})"

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_positionstatement_change", args=[self.pk])


# ------------------------------------------------------------- what the team did


class InterventionKind(models.TextChoices):
    LETTER = "letter", _("letter")
    MEETING = "meeting", _("meeting")
    PETITION = "petition", _("petition")
    UN_COMMUNICATION = "un_communication", _("UN communication")
    MEDIA = "media", _("media work")
    OTHER = "other", _("other")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("sent / held")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ANSWERED = "answered", _("answered")
    NO_RESPONSE = "no_response", _("no response")


@track
@versioned
class Intervention(VigilModel):
    """What the advocates did: a letter, a meeting, a petition, a UN communication."""

    case_path = "case"
    bin_paths = ("case",)
    fuzzy_dates = ("occurred_on",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(max_length=16, choices=InterventionKind.choices)
    government = models.ForeignKey(
        Government,
        verbose_name="addressed to",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
    )
    addressed_to_actor = models.ForeignKey(
        Actor,
        verbose_name="addressed to (organisation or person)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions_received",
        help_text="The ICRC, an NGO, an official: whom it was addressed to, beside or instead of a government.",
    )
    request = models.ForeignKey(
        StatedRequest,
        verbose_name="about request",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
    )
    occurred_on, occurred_on_precision = fuzzy_date_fields("date")
    occurred = FuzzyDateAttribute("occurred_on")
    asked = models.TextField("what we asked", blank=True)
    status = models.CharField(max_length=12, choices=InterventionStatus.choices, default=InterventionStatus.PLANNED)
    response = models.ForeignKey(
        PositionStatement, on_delete=models.SET_NULL, null=True, blank=True, related_name="answered_interventions"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = "intervention"
        ordering = ["case_id", F("occurred_on").asc(nulls_last=True), "id"]
        constraints = [*fuzzy_date_constraints("occurred_on", "intervention")]
        indexes = [models.Index(fields=["case", "occurred_on"], name="intervention_case_date_idx")]

    def clean(self) -> None:
        """Its request and the statement answering it belong to its own case, and it was
        made by someone who may see that case (a restricted case: its lead, its team, a
        data manager)."""
        super().clean()
        errors = {}
        if self.case_id is not None:
            if self.request_id is not None and self.request.case_id != self.case_id:
                errors["request"] = "This request belongs to another case."
            if self.response_id is not None and self.response.involvement.case_id != self.case_id:
                errors["response"] = "This statement belongs to another case."
            if (
                self.made_by_id is not None
                and not Case.objects.visible_to(self.made_by).filter(pk=self.case_id).exists()
            ):
                errors["made_by"] = "Made by someone who may not see this case: choose someone on its team."
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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_arguments")
    basis = models.ForeignKey(
        LegalBasis, verbose_name="legal basis", on_delete=models.PROTECT, related_name="arguments"
    )
    request = models.ForeignKey(
        StatedRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="legal_arguments"
    )
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, null=True, blank=True, related_name="legal_arguments"
    )
    argument = models.TextField(blank=True, help_text="The argument in words.")
    argued_by = models.ForeignKey(
        Actor, verbose_name="argued by", on_delete=models.PROTECT, null=True, blank=True, related_name="arguments"
    )
    source = models.ForeignKey(
        "events.Source", on_delete=models.PROTECT, null=True, blank=True, related_name="legal_arguments"
    )

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = "legal argument"
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
                errors["request"] = "This request belongs to another case."
            if self.intervention_id is not None and self.intervention.case_id != self.case_id:
                errors["intervention"] = "This intervention belongs to another case."
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return f"{self.basis}: {self.argument[:80]}" if self.argument else str(self.basis)

    def get_absolute_url(self) -> str:
        return reverse("admin:casework_legalargument_change", args=[self.pk])


@track
@versioned
class CaseNote(Translatable, VigilModel):
    """An entry in the team's journal of a case."""

    case_path = "case"
    bin_paths = ("case",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField()
    language = models.CharField(max_length=16, blank=True, help_text='The note\'s language, BCP 47: "ko", "uk".')
    translations = GenericRelation(TextTranslation, related_query_name="case_note")
    translatable_fields = {"body": "language"}

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = "note"
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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(max_length=300)
    due_on = models.DateField("due on")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    done_at = models.DateTimeField("done at", null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = CaseBoundQuerySet.as_manager()

    class Meta:
        verbose_name = "follow-up"
        ordering = ["done_at", "due_on", "id"]
        indexes = [
            # "Follow-ups due for me": open ones by assignee and due date.
            models.Index(
                fields=["assignee", "due_on"], name="followup_open_due_idx", condition=Q(done_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_on:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


@pgtrigger.register(pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete))
class CaseView(models.Model):
    """Who opened a restricted case, when, through what and from where.

    Written by ``casework.services.case_views_record`` (called by
    ``core.middleware.ViewLogMiddleware``) once per successful response and
    restricted case it showed, in every interface: dashboard, API and admin,
    lists and details alike; never holds the case's content. Only data managers
    read it.
    """

    # No database constraints: the log outlives a purged case or a deleted user.
    case = models.ForeignKey(
        Case, on_delete=models.DO_NOTHING, related_name="views", db_constraint=False, db_index=False
    )
    case_reference = models.CharField(max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False
    )
    username = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    channel = models.CharField(max_length=20)
    what = models.CharField(max_length=40, default="page", help_text='"page", "timeline", "export", ...')
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)

    class Meta:
        verbose_name = "view of a restricted case"
        verbose_name_plural = "views of restricted cases"
        ordering = ["-at"]
        indexes = [
            # "Who saw this case": the admin list filtered by case, newest first.
            models.Index(fields=["case", "-at"], name="caseview_case_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} viewed {self.case_reference} ({self.channel}, {self.at:%Y-%m-%d %H:%M})"


@pgtrigger.register(pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete))
class ExportLog(models.Model):
    """Who exported what, when, through what and from where: the filters and the
    number of rows, never the rows themselves. Only data managers read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False
    )
    username = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    channel = models.CharField(max_length=20)
    what = models.CharField(max_length=60, help_text='"cases.csv", ...')
    query = models.TextField("filters", blank=True)
    rows = models.PositiveIntegerField()
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    profile = models.CharField(
        max_length=20, blank=True, help_text='"full", "partner", "public" (exchange/exports.py).'
    )
    sha256 = models.CharField("SHA-256 of the file", max_length=64, blank=True)

    class Meta:
        verbose_name = "export"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} exported {self.rows} rows of {self.what} ({self.at:%Y-%m-%d %H:%M})"
