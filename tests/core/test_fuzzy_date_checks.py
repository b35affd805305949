"""The date checks full_clean runs in Python (core.dates.FuzzyDateCheck) agree with
the SQL the database enforces, for every precision and shape of date."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.db.models import DateField, Value

from core.dates import DatePrecision, FuzzyDateCheck
from events.models import Event

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime.now(datetime.UTC).date()
DATES = [
    None,
    datetime.date(2024, 1, 1),
    datetime.date(2024, 4, 1),
    datetime.date(2024, 2, 1),
    datetime.date(2024, 2, 17),
    TODAY + datetime.timedelta(days=1),
    TODAY + datetime.timedelta(days=30),
]


def checks() -> list[FuzzyDateCheck]:
    return [c for c in Event._meta.constraints if isinstance(c, FuzzyDateCheck)]


def test_the_event_date_has_its_three_checks_in_python():
    assert sorted(check.rule for check in checks()) == ["normalised", "not_in_future", "unknown_has_no_date"]


@pytest.mark.parametrize(("value", "precision"), list(itertools.product(DATES, DatePrecision.values)))
def test_python_and_postgresql_agree(value, precision):
    for check in checks():
        against = {
            "occurred_on": Value(value, output_field=DateField()),
            "occurred_on_precision": Value(precision),
        }
        in_sql = check.condition.check(against, using=connection.alias)
        assert check.holds(value, precision) == in_sql, (check.name, value, precision)


def test_full_clean_checks_the_dates_without_a_query(django_assert_num_queries, open_case):
    event = Event(case=open_case, kind="other", title="x", occurred_on=datetime.date(2024, 2, 17))
    event.occurred_on_precision = "month"  # not the first day of the month: refused
    with django_assert_num_queries(0), pytest.raises(Exception, match="first day"):
        event.validate_constraints()
