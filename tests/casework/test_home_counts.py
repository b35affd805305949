"""The home page's figures come from counters the database keeps (casework/counts.py,
migration casework 0018), and each equals a live COUNT(*) over the same visible rows.

Three readers: Sam sees every case, Alice leads a restricted case (Bob is on its
team), Olivia is on no team. After each change (cases and requests created,
statuses moved, a detainee's status, a case made restricted and open again,
records moved to the bin and restored, deleted for good, a person taken out of
a case, time passing) every figure on each one's home page equals the count of
``visible_to(user)`` rows, as the page computed it before the counters.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Count

from casework import selectors
from casework.counts import home_figures
from casework.models import (
    Case,
    CaseStatus,
    CaseSubject,
    HomeCount,
    RequestCategory,
    RequestStatus,
    StatedRequest,
    SubjectRole,
)
from casework.services import request_update_status
from core.bin import bin_move, bin_purge, bin_restore
from people.models import Person, PersonStatus
from tests import factories

TODAY = datetime.date(2026, 6, 1)


def live(user, today=TODAY):
    """The figures as counted live before the counters (``COUNT(*)`` of the visible rows)."""

    def counts_by(queryset, field, choices):
        counts = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))
        return [(value, label, counts[value]) for value, label in choices if counts.get(value)]

    requests = StatedRequest.objects.visible_to(user)
    return (
        counts_by(Case.objects.visible_to(user), "status", CaseStatus.choices),
        counts_by(selectors.detainees(user=user), "status", PersonStatus.choices),
        counts_by(requests, "status", RequestStatus.choices),
        requests.stalled(today=today).count(),
    )


def counted(user, today=TODAY):
    figures = home_figures(user, today=today)
    return figures.case_counts, figures.detainee_counts, figures.request_counts, figures.stalled_count


@pytest.fixture
def readers(sam, alice, bob, olivia):
    return [sam, alice, bob, olivia]


def assert_exact(readers, today=TODAY):
    for user in readers:
        assert counted(user, today) == live(user, today), user.username
    # And the counters equal what rebuilding them from the tables gives.
    kept = sorted(HomeCount.objects.filter(n__gt=0).values_list("figure", "open", "status", "minor", "moved_on", "n"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT vigil_recount_all()")
    assert sorted(HomeCount.objects.values_list("figure", "open", "status", "minor", "moved_on", "n")) == kept


def request(case, person, *, status=RequestStatus.STATED, category=RequestCategory.TRANSFER, on=None):
    made = factories.StatedRequestFactory(
        case=case,
        person=person,
        category=category,
        first_stated_on=on or datetime.date(2026, 1, 10),
        first_stated_on_precision="day",
    )
    if status != RequestStatus.STATED:
        request_update_status(request=made, status=status, occurred_on=on or datetime.date(2026, 1, 20))
    return made


@pytest.fixture
def world(restricted_case, alice):
    """Open and restricted cases with detainees, relatives and requests of every kind."""
    open_case = factories.CaseFactory(title="Open", status=CaseStatus.ACTIVE)
    other_open = factories.CaseFactory(title="Other open", status=CaseStatus.STALLED)
    ri = factories.PersonFactory(display_name="Ri", status=PersonStatus.IN_DETENTION)
    kim = factories.PersonFactory(display_name="Kim", status=PersonStatus.IN_DETENTION)
    secret = factories.PersonFactory(display_name="Secret", status=PersonStatus.MISSING)
    mother = factories.PersonFactory(display_name="Mother")
    factories.CaseSubjectFactory(case=open_case, person=ri)
    factories.CaseSubjectFactory(case=other_open, person=kim)
    factories.CaseSubjectFactory(case=restricted_case, person=kim)  # in both kinds of case
    factories.CaseSubjectFactory(case=restricted_case, person=secret)
    factories.CaseSubjectFactory(case=open_case, person=mother, role=SubjectRole.FAMILY_MEMBER)
    request(open_case, ri)  # stated in January: stalled by June
    request(open_case, ri, status=RequestStatus.GRANTED)
    request(open_case, ri, category=RequestCategory.MEDICINE)  # supplies: never stalled
    request(other_open, kim, status=RequestStatus.STALLED)
    request(restricted_case, kim, status=RequestStatus.IN_PROGRESS, on=datetime.date(2026, 5, 20))
    request(restricted_case, secret, status=RequestStatus.STALLED)
    request(restricted_case, secret)
    return {"open": open_case, "other": other_open, "restricted": restricted_case, "ri": ri, "kim": kim}


def test_every_figure_equals_the_live_count_for_every_reader(world, readers):
    assert_exact(readers)
    assert_exact(readers, today=datetime.date(2026, 1, 25))  # before anything stalled by time
    sam, alice, _bob, olivia = readers
    assert counted(sam)[3] == 4 and counted(alice)[3] == 4 and counted(olivia)[3] == 2


def test_creating_and_moving_statuses_keeps_them_exact(world, readers):
    case = factories.RestrictedCaseFactory(lead=readers[1], status=CaseStatus.RESOLVED)
    person = factories.PersonFactory(status=PersonStatus.RELEASED)
    made = request(case, person, status=RequestStatus.VERIFIED)
    assert_exact(readers)
    request_update_status(request=made, status=RequestStatus.DENIED, occurred_on=datetime.date(2026, 2, 1))
    Case.objects.filter(pk=world["open"].pk).update(status=CaseStatus.CLOSED)
    Person.objects.filter(pk=world["ri"].pk).update(status=PersonStatus.RELEASED)
    CaseSubject.objects.filter(person=person).update(role=SubjectRole.WITNESS)
    assert_exact(readers)


def test_confidentiality_changes_keep_them_exact(world, readers):
    Case.objects.filter(pk=world["other"].pk).update(confidentiality="restricted")
    assert_exact(readers)
    Case.objects.filter(pk=world["restricted"].pk).update(confidentiality="normal")
    assert_exact(readers)
    Case.objects.filter(pk__in=[world["other"].pk, world["restricted"].pk]).update(confidentiality="restricted")
    assert_exact(readers)


def test_the_bin_and_deletes_keep_them_exact(world, readers):
    sam = readers[0]
    bin_move(world["other"], user=sam)
    assert_exact(readers)
    bin_move(world["kim"], user=sam)  # a person: their requests and detentions leave with them
    assert_exact(readers)
    bin_restore(Person.objects.get(pk=world["kim"].pk), user=sam)
    assert_exact(readers)
    bin_restore(Case.objects.get(pk=world["other"].pk), user=sam)
    assert_exact(readers)
    one = StatedRequest.objects.filter(case=world["restricted"]).first()
    bin_move(one, user=sam)
    assert_exact(readers)
    bin_purge(StatedRequest.objects.get(pk=one.pk), user=sam)
    assert_exact(readers)
    CaseSubject.objects.filter(case=world["other"], person=world["kim"]).delete()  # Kim only in the restricted case
    assert_exact(readers)
    StatedRequest.objects.filter(case=world["open"]).delete()
    assert_exact(readers)


def test_a_thousand_rows_in_one_statement_count_once_each(readers, restricted_case):
    cases = Case.objects.bulk_create(
        [Case(title=f"Bulk {n}", opened_on=TODAY, status=CaseStatus.OPEN) for n in range(1000)]
    )
    assert_exact(readers)
    Case.objects.filter(pk__in=[case.pk for case in cases[:500]]).update(confidentiality="restricted")
    assert_exact(readers)
    assert {v: n for v, _l, n in counted(readers[3])[0]}[CaseStatus.OPEN] == 500
