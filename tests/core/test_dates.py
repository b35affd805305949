"""Dates as reported: shown as written, stored normalised, refused when inconsistent."""

import datetime

import pytest
from django.db import IntegrityError

from core.dates import DatePrecision, FuzzyDate, normalise
from tests import factories


@pytest.mark.parametrize(
    ("value", "precision", "shown"),
    [
        (datetime.date(2025, 2, 17), "day", "17 February 2025"),
        (datetime.date(2025, 1, 1), "month", "January 2025"),
        (datetime.date(2024, 10, 1), "quarter", "Q4 2024"),
        (datetime.date(2024, 1, 1), "year", "2024"),
        (None, "unknown", "date unknown"),
        (None, "day", "date unknown"),
    ],
)
def test_a_date_is_shown_as_precisely_as_it_was_reported(value, precision, shown):
    assert str(FuzzyDate(value, precision)) == shown


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        ("day", datetime.date(2025, 8, 17)),
        ("month", datetime.date(2025, 8, 1)),
        ("quarter", datetime.date(2025, 7, 1)),
        ("year", datetime.date(2025, 1, 1)),
        ("unknown", None),
    ],
)
def test_a_date_is_normalised_to_the_first_day_of_its_period(precision, expected):
    assert normalise(datetime.date(2025, 8, 17), precision) == expected


def test_unknown_dates_sort_after_known_ones():
    dates = [
        FuzzyDate(None, "unknown"),
        FuzzyDate(datetime.date(2025, 1, 1), "month"),
        FuzzyDate(datetime.date(2024, 10, 1), "quarter"),
    ]
    assert [str(d) for d in sorted(dates, key=lambda d: d.sort_key)] == ["Q4 2024", "January 2025", "date unknown"]


def test_model_validation_normalises_a_month_typed_with_a_day(db):
    event = factories.EventFactory.build(case=factories.CaseFactory(), occurred_on=datetime.date(2025, 1, 17))
    event.occurred_on_precision = DatePrecision.MONTH
    event.full_clean()
    assert event.occurred_on == datetime.date(2025, 1, 1)
    assert str(event.occurred) == "January 2025"


def test_the_database_refuses_a_month_stored_with_day_17(db):
    with pytest.raises(IntegrityError, match="event_occurred_on_normalised"):
        factories.EventFactory(occurred_on=datetime.date(2025, 1, 17), occurred_on_precision="month")


def test_the_database_refuses_an_unknown_precision_with_a_date(db):
    with pytest.raises(IntegrityError, match="event_occurred_on_unknown_has_no_date"):
        factories.EventFactory(occurred_on=datetime.date(2025, 1, 1), occurred_on_precision="unknown")


def test_assigning_a_fuzzy_date_stores_it_normalised(db):
    event = factories.EventFactory.build()
    event.occurred = FuzzyDate(datetime.date(2024, 11, 20), "quarter")
    assert (event.occurred_on, event.occurred_on_precision) == (datetime.date(2024, 10, 1), "quarter")


@pytest.mark.parametrize(
    ("language", "value", "precision", "shown"),
    [
        ("ko", datetime.date(2025, 1, 1), "month", "2025년 1월"),
        ("ko", datetime.date(2024, 10, 1), "quarter", "2024년 4분기"),
        ("ko", datetime.date(2025, 2, 17), "day", "2025년 2월 17일"),
        ("ko", datetime.date(2024, 1, 1), "year", "2024년"),
        ("uk", datetime.date(2025, 1, 1), "month", "січень 2025\u202fр."),
        ("uk", datetime.date(2024, 10, 1), "quarter", "4-й квартал 2024\u202fр."),
        ("uk", datetime.date(2025, 2, 17), "day", "17 лютого 2025\u202fр."),
        ("ru", datetime.date(2025, 1, 1), "month", "январь 2025\u202fг."),
        ("ru", datetime.date(2024, 10, 1), "quarter", "4-й квартал 2024\u202fг."),
        ("ru", datetime.date(2025, 2, 17), "day", "17 февраля 2025\u202fг."),
        ("en", datetime.date(2024, 10, 1), "quarter", "Q4 2024"),
    ],
)
def test_a_date_is_written_the_local_way_in_each_language(language, value, precision, shown):
    # CLDR keeps the year and its "р."/"г." together with a narrow no-break space (U+202F).
    from django.utils import translation

    with translation.override(language):
        assert str(FuzzyDate(value, precision)) == shown


@pytest.mark.parametrize(
    ("language", "typed", "value", "precision"),
    [
        ("en", "2025-02-17", datetime.date(2025, 2, 17), "day"),
        ("en", "February 2025", datetime.date(2025, 2, 1), "month"),
        ("en", "Q4 2024", datetime.date(2024, 10, 1), "quarter"),
        ("en", "2024", datetime.date(2024, 1, 1), "year"),
        ("uk", "17.02.2025", datetime.date(2025, 2, 17), "day"),
        ("uk", "січень 2025", datetime.date(2025, 1, 1), "month"),
        ("uk", "17 лютого 2025 р.", datetime.date(2025, 2, 17), "day"),
        ("uk", "4-й квартал 2024 р.", datetime.date(2024, 10, 1), "quarter"),
        ("ru", "17 февраля 2025", datetime.date(2025, 2, 17), "day"),
        ("ko", "2025년 1월", datetime.date(2025, 1, 1), "month"),
        ("ko", "2024년 4분기", datetime.date(2024, 10, 1), "quarter"),
        ("ko", "2025. 2. 17.", datetime.date(2025, 2, 17), "day"),
    ],
)
def test_a_date_is_read_as_people_type_it_with_its_precision(language, typed, value, precision):
    from core.dates import parse_reported

    parsed = parse_reported(typed, language)
    assert (parsed, parsed.precision) == (value, precision)


@pytest.mark.parametrize("typed", ["02/03/2025", "31.02.2025", "soon", "3 2025"])
def test_an_ambiguous_or_impossible_date_is_refused_not_guessed(typed):
    from core.dates import parse_reported

    assert parse_reported(typed, "en") is None


def test_the_written_date_reads_back_as_the_same_date_in_every_language():
    from django.utils import translation

    from core.dates import parse_reported

    for language in ("en", "ko", "uk", "ru"):
        for value, precision in [
            (datetime.date(2025, 2, 17), "day"),
            (datetime.date(2025, 1, 1), "month"),
            (datetime.date(2024, 10, 1), "quarter"),
            (datetime.date(2024, 1, 1), "year"),
        ]:
            with translation.override(language):
                written = str(FuzzyDate(value, precision))
            parsed = parse_reported(written, language)
            assert (parsed, parsed and parsed.precision) == (value, precision), (language, written)
