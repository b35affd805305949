"""The home page's figures, kept by the database (migration casework 0017).

Counting a million cases, their detainees and their requests on every visit
reads millions of rows; these small tables hold the counts instead, kept
exact by PostgreSQL triggers whatever writes (admin, API, dashboard, a
queryset update, a command, psql), moving to and from the bin included.

Each figure is split by confidentiality: ``open`` rows are what every
signed-in user sees (a case of normal confidentiality, a detainee in one, a
request of one made for a person in one); the other rows are what only a
case's lead and team (and those who see every case) see. The home page adds
the ``open`` counts and the user's own restricted part, counted live from
the few cases they lead or are on the team of (``casework.counts``).

What a request or a detainee counts as depends on other rows (its case, its
person, the cases its person is in), so each has one ``Counted…`` row kept by
the triggers (what it is counted as now), and the counters follow those rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HomeCount(models.Model):
    """How many cases (``figure`` "case"), detainees ("detainee") or requests
    ("request") have status ``status``, in cases everyone sees (``open``) or not.

    Requests are counted by ``minor`` (a supplies category) too, and those that
    can become stalled by time (open, not yet marked stalled, not supplies) by
    the day they last moved (``moved_on``; empty for the others): "stalled"
    depends on today, so the stalled figure is the sum over the days before
    the cutoff, exact on any day."""

    figure = models.CharField(max_length=8, verbose_name=_("figure"))
    open = models.BooleanField(verbose_name=_("open"))
    status = models.CharField(max_length=18, verbose_name=_("status"))
    minor = models.BooleanField(default=False, verbose_name=_("minor"))
    moved_on = models.DateField(null=True, verbose_name=_("moved on"))
    n = models.BigIntegerField(default=0, verbose_name=_("count"))

    class Meta:
        verbose_name = _("home page count")
        verbose_name_plural = _("home page counts")
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "open", "status", "minor", "moved_on"],
                name="homecount_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.status} ({'open' if self.open else 'restricted'}): {self.n}"


class CountedRequest(models.Model):
    """What a request (not in the bin, nor its case or person) is counted as. ``case_id``
    and ``subject`` (its person is one of its case's people) let the home page count a
    restricted case's requests for its team from this table alone (casework.counts)."""

    request_id = models.BigIntegerField(primary_key=True, verbose_name=_("request id"))
    case_id = models.BigIntegerField(db_index=True, verbose_name=_("case id"))
    subject = models.BooleanField(verbose_name=_("subject"))
    open = models.BooleanField(verbose_name=_("open"))
    status = models.CharField(max_length=18, verbose_name=_("status"))
    minor = models.BooleanField(verbose_name=_("minor"))
    moved_on = models.DateField(null=True, verbose_name=_("moved on"))

    class Meta:
        verbose_name = _("counted request")
        verbose_name_plural = _("counted requests")

    def __str__(self) -> str:
        return f"request {self.request_id}: {self.status}"


class CountedDetainee(models.Model):
    """What a person detained in a case (neither in the bin) is counted as."""

    person_id = models.BigIntegerField(primary_key=True, verbose_name=_("person id"))
    open = models.BooleanField(verbose_name=_("open"))
    status = models.CharField(max_length=18, verbose_name=_("status"))

    class Meta:
        verbose_name = _("counted detainee")
        verbose_name_plural = _("counted detainees")

    def __str__(self) -> str:
        return f"person {self.person_id}: {self.status}"
