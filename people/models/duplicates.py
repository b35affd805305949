"""Likely duplicate people, their review, merges, and the saved name searches."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.models.choices import PairStatus
from people.models.persons import Person


class DuplicatePair(models.Model):
    """Two people who may be one, found by the duplicate pass (people/duplicates.py).

    A pair marked "not the same person" is remembered and never offered again.
    ``person_a`` is always the lower id, so a pair is stored once.
    """

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person a"))
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person b"))
    score = models.PositiveSmallIntegerField(verbose_name=_("score"))
    reasons = models.JSONField(default=list, verbose_name=_("reasons"))
    status = models.CharField(
        max_length=8, choices=PairStatus.choices, default=PairStatus.OPEN, verbose_name=_("status")
    )
    found_at = models.DateTimeField(auto_now_add=True, verbose_name=_("found at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score", "id"]
        permissions = [("review_duplicates", "Can review possible duplicates and merge people")]
        constraints = [
            models.UniqueConstraint(
                fields=["person_a", "person_b"],
                name="duplicatepair_unique",
                violation_error_message="This pair is already in the review queue.",
            ),
            models.CheckConstraint(
                name="duplicatepair_ordered",
                condition=Q(person_a__lt=models.F("person_b")),
                violation_error_message="A pair names its lower id first.",
            ),
        ]
        indexes = [
            # The review queue: open pairs, best first.
            models.Index(fields=["status", "-score", "id"], name="duplicatepair_queue_idx"),
            # "Is this person in a pair?" when a merge closes the pairs it settles.
            models.Index(fields=["person_b"], name="duplicatepair_person_b_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.person_a_id} / #{self.person_b_id} ({self.score})"


class PersonMerge(models.Model):
    """A merge of one person into another, kept so that it can be undone from the bin:
    the survivor's values before, and every link moved (model label → ids)."""

    survivor = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="merges_kept", verbose_name=_("survivor")
    )
    merged = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="merges_absorbed", verbose_name=_("merged")
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("merged by")
    )
    merged_at = models.DateTimeField(auto_now_add=True, verbose_name=_("merged at"))
    survivor_before = models.JSONField(default=dict, verbose_name=_("survivor before"))
    moved = models.JSONField(default=dict, verbose_name=_("moved"))
    names_added = models.JSONField(default=list, verbose_name=_("names added"))
    undone_at = models.DateTimeField(null=True, blank=True, verbose_name=_("undone at"))
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        verbose_name = _("merge of people")
        verbose_name_plural = _("merges of people")
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.merged_id} merged into #{self.survivor_id}"


class PersonSearch(models.Model):
    """Every name key of a person, their own and all their names', in one indexed
    array: name search ranks its candidates here and stops at the page it needs
    (``PersonQuerySet.search_names``). Kept by database triggers on people_person
    and people_personname (migration 0010), so no path that writes a name (admin,
    API, import, merge, a queryset update) leaves it stale; ``generate_data``,
    which loads with triggers off, refreshes it whole (``people_search_refresh_all``)."""

    person = models.OneToOneField(
        Person,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search",
        verbose_name=_("person"),
    )
    # The tie-break of the ranking (display_name, id), here so that the ranking needs no join.
    display_name = models.CharField(max_length=200, verbose_name=_("display name"))
    keys = ArrayField(models.CharField(max_length=200), default=list, verbose_name=_("keys"))

    class Meta:
        verbose_name = _("name search keys")
        verbose_name_plural = _("name search keys")
        indexes = [
            # PersonQuerySet.search_names: keys && the query's keys, or keys @> its words.
            GinIndex(fields=["keys"], name="personsearch_keys_gin"),
        ]

    def __str__(self) -> str:
        return self.display_name
