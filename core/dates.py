"""Dates as people report them: "in January", "late 2024", "this week".

Every reported date is a pair of columns, ``<name>`` (a date) and
``<name>_precision`` (day, month, quarter, year, unknown). The date is stored
normalised to the first day of its period, so that sorting by the column sorts
by time, and a check constraint in the database refuses a pair that is not
normalised ("month" with day 17). Forms and the API normalise before saving.

    class Event(models.Model):
        occurred_on, occurred_on_precision = fuzzy_date_fields("occurred")
        occurred = FuzzyDateAttribute("occurred_on")

        class Meta:
            constraints = [*fuzzy_date_constraints("occurred_on", "event")]

``event.occurred`` is then a ``FuzzyDate`` whose ``str()`` is "January 2025",
"Q4 2024", "17 February 2025" or "date unknown" in English, and written the
local way in the language of the request (CLDR's patterns, through Babel):
"2025년 1월", "січень 2025 р.", "4-й квартал 2024 г.".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext, to_locale
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")
    UNKNOWN = "unknown", _("unknown")


def normalise(value: datetime.date | None, precision: str) -> datetime.date | None:
    """The first day of the period that ``value`` falls in, at ``precision``."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    if precision == DatePrecision.QUARTER:
        return value.replace(month=3 * ((value.month - 1) // 3) + 1, day=1)
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    return value


@dataclass(frozen=True, order=False)
class FuzzyDate:
    """A date with the precision it was reported at."""

    value: datetime.date | None
    precision: str = DatePrecision.DAY

    def __str__(self) -> str:
        return self.written(get_language())

    def written(self, language: str | None) -> str:
        """The date as people write it in ``language`` ("en", "ko", "uk", "ru"; None: English)."""
        value, precision = self.value, self.precision
        if value is None or precision == DatePrecision.UNKNOWN:
            return gettext("date unknown")
        locale = _babel_locale(language)
        if locale is None:
            # English, the way Vigil always wrote it ("17 February 2025", "Q4 2024").
            if precision == DatePrecision.YEAR:
                return str(value.year)
            if precision == DatePrecision.QUARTER:
                return f"Q{(value.month - 1) // 3 + 1} {value.year}"
            if precision == DatePrecision.MONTH:
                return f"{value:%B} {value.year}"
            return f"{value.day} {value:%B} {value.year}"
        skeleton = _SKELETONS_BY_LANGUAGE.get(locale.language, {}).get(precision) or _SKELETONS[precision]
        return format_skeleton(skeleton, value, locale=locale)

    @property
    def period_end(self) -> datetime.date | None:
        """The last day of the period the date stands for ("Q4 2024": 31 December 2024)."""
        value, precision = self.value, self.precision
        if value is None or precision == DatePrecision.UNKNOWN:
            return None
        if precision == DatePrecision.DAY:
            return value
        months = {DatePrecision.MONTH: 1, DatePrecision.QUARTER: 3, DatePrecision.YEAR: 12}[precision]
        month = value.month - 1 + months
        first_after = datetime.date(value.year + month // 12, month % 12 + 1, 1)
        return first_after - datetime.timedelta(days=1)

    def within(self, since: datetime.date | None, until: datetime.date | None) -> bool:
        """Whether the whole period lies in [since, until]: "Q4 2024" is not "since 1 December 2024"."""
        if self.value is None or self.precision == DatePrecision.UNKNOWN:
            return since is None and until is None
        return (since is None or self.value >= since) and (until is None or self.period_end <= until)

    @property
    def sort_key(self) -> tuple[int, datetime.date]:
        """Unknown dates sort last; others by the first day of their period."""
        return (1, datetime.date.max) if self.value is None else (0, self.value)


#: CLDR skeletons per precision: each language orders and inflects them its own way
#: ("2025년 1월", "січень 2025 р.", "17 лютого 2025 р.", "4-й квартал 2024 р.").
_SKELETONS = {
    DatePrecision.YEAR: "y",
    DatePrecision.QUARTER: "yQQQQ",
    DatePrecision.MONTH: "yMMMM",
    DatePrecision.DAY: "yMMMMd",
}


#: Where a language writes a precision otherwise than CLDR's wide form: Korean says "2024년 4분기".
_SKELETONS_BY_LANGUAGE = {"ko": {DatePrecision.QUARTER: "yQQQ"}}


def _babel_locale(language: str | None) -> Locale | None:
    """Babel's locale for a Django language code; None for English (Vigil's own English forms)."""
    if not language or language.split("-")[0] == "en":
        return None
    try:
        return Locale.parse(to_locale(language))
    except (UnknownLocaleError, ValueError):
        return None


def fuzzy_date_fields(verbose_name: str, *, required: bool = False) -> tuple[models.DateField, models.CharField]:
    """The (date, precision) column pair for a reported date."""
    date_field = models.DateField(
        verbose_name,
        null=not required,
        blank=not required,
        help_text=_("For a month, quarter or year, any day in it; it is stored as the period's first day."),
    )
    precision_field = models.CharField(
        format_lazy(_("{date}: precision"), date=verbose_name),
        max_length=7,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    return date_field, precision_field


#: "Today" as the database sees it, plus one day: the server runs in UTC, and somewhere
#: (UTC+14) it is already tomorrow. The exact check against the user's own today is
#: ``VigilModel.clean()`` (field by field); this one holds whatever code writes the row.
TOMORROW_UTC = models.Func(template="(CURRENT_DATE + 1)", output_field=models.DateField())

FUTURE_DATE_MESSAGE = "This date is in the future: record what has happened, not what is expected."


class FuzzyDateCheck(models.CheckConstraint):
    """A check of a date pair that the database holds and that ``full_clean`` checks
    in Python, with the same rule and message, rather than with one query each
    (Django's ``CheckConstraint.validate`` asks PostgreSQL): a write validates a
    model's date constraints without a round trip. ``rule`` names the check; the
    SQL ``condition`` stays what the database enforces (tests/core/test_dates.py and
    tests/core/test_fuzzy_date_checks.py keep the two in step)."""

    def __init__(self, *args, field: str, rule: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.field, self.rule = field, rule

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs  # the database's constraint, unchanged

    def clone(self):
        _path, args, kwargs = self.deconstruct()
        return self.__class__(*args, field=self.field, rule=self.rule, **kwargs)

    def holds(self, value: datetime.date | None, precision: str) -> bool:
        if value is None:
            return True
        if self.rule == "not_in_future":
            return value <= datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=1)
        if self.rule == "unknown_has_no_date":
            return precision != DatePrecision.UNKNOWN
        return (
            precision in (DatePrecision.UNKNOWN, DatePrecision.DAY)
            or (precision == DatePrecision.MONTH and value.day == 1)
            or (precision == DatePrecision.QUARTER and value.day == 1 and value.month in (1, 4, 7, 10))
            or (precision == DatePrecision.YEAR and value.day == 1 and value.month == 1)
        )

    def validate(self, model, instance, exclude=None, using=None):
        precision = f"{self.field}_precision"
        if exclude and (self.field in exclude or precision in exclude):
            return
        if not self.holds(getattr(instance, self.field), getattr(instance, precision)):
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)


def fuzzy_date_constraints(field: str, prefix: str, *, past: bool = False) -> list[models.CheckConstraint]:
    """Database checks that a date pair is normalised and consistent, and, with
    ``past``, that the date (the first day of its period) is not in the future."""
    precision = f"{field}_precision"
    unknown = Q(**{precision: DatePrecision.UNKNOWN})
    no_date = Q(**{f"{field}__isnull": True})
    not_in_future = (
        [
            FuzzyDateCheck(
                field=field,
                rule="not_in_future",
                name=f"{prefix}_{field}_not_in_future",
                condition=no_date | Q(**{f"{field}__lte": TOMORROW_UTC}),
                violation_error_message=FUTURE_DATE_MESSAGE,
            )
        ]
        if past
        else []
    )
    return [
        *not_in_future,
        FuzzyDateCheck(
            field=field,
            rule="unknown_has_no_date",
            name=f"{prefix}_{field}_unknown_has_no_date",
            condition=no_date | ~unknown,
            violation_error_message="A date of unknown precision has no date: leave the date empty.",
        ),
        FuzzyDateCheck(
            field=field,
            rule="normalised",
            name=f"{prefix}_{field}_normalised",
            condition=no_date
            | unknown  # refused by the constraint above
            | Q(**{precision: DatePrecision.DAY})
            | Q(**{precision: DatePrecision.MONTH, f"{field}__day": 1})
            | Q(**{precision: DatePrecision.QUARTER, f"{field}__day": 1, f"{field}__month__in": [1, 4, 7, 10]})
            | Q(**{precision: DatePrecision.YEAR, f"{field}__day": 1, f"{field}__month": 1}),
            violation_error_message="A month, quarter or year date must be stored as the first day of that period.",
        ),
    ]


class FuzzyDateAttribute:
    """``obj.<name>`` reads the pair as a FuzzyDate and writes it normalised."""

    def __init__(self, field: str):
        self.field = field
        self.precision = f"{field}_precision"

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return FuzzyDate(getattr(obj, self.field), getattr(obj, self.precision))

    def __set__(self, obj, fuzzy: FuzzyDate) -> None:
        setattr(obj, self.precision, fuzzy.precision)
        setattr(obj, self.field, normalise(fuzzy.value, fuzzy.precision))


def refuse_future(instance: models.Model, fields, today: datetime.date | None = None) -> dict[str, str]:
    """Field-by-field errors for each of ``fields`` whose date (the first day of
    its period, once normalised) is after ``today`` (the user's local date)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    errors = {}
    for field in fields:
        value = normalise(getattr(instance, field), getattr(instance, f"{field}_precision", DatePrecision.DAY))
        if value is not None and value > today:
            errors[field] = FUTURE_DATE_MESSAGE
    return errors


def normalise_pair(instance: models.Model, field: str) -> None:
    """Normalise ``instance.<field>`` in place to its precision (for forms and serializers)."""
    precision = getattr(instance, f"{field}_precision")
    setattr(instance, field, normalise(getattr(instance, field), precision))


# ------------------------------------------------------- dates as people type them


class ReportedDate(datetime.date):
    """A date read from what someone typed, with the precision the text carried
    ("січень 2025": month; "2025": year; "17.02.2025": day)."""

    precision: str = DatePrecision.DAY

    @classmethod
    def of(cls, value: datetime.date, precision: str) -> ReportedDate:
        reported = cls(value.year, value.month, value.day)
        reported.precision = precision
        return reported


AMBIGUOUS_DATE_MESSAGE = _(
    "Write the date so that it cannot be misread: 2025-02-17, 17.02.2025, 17 February 2025, "
    "February 2025, Q1 2025 or 2025."
)


def _month_names(language: str | None) -> dict[str, int]:
    """Every way the language writes a month's name (wide, abbreviated, stand-alone,
    genitive: "січень", "лютого", "февр."), lower case, to its number; English always too."""
    names: dict[str, int] = {}
    locales = [Locale.parse("en")]
    babel = _babel_locale(language)
    if babel is not None:
        locales.append(babel)
    for locale in locales:
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    names[name.lower().rstrip(".")] = number
    return names


def parse_reported(text: str, language: str | None = None) -> ReportedDate | None:
    """What someone typed, read as a date and its precision, or None when it is
    ambiguous or not a date. ISO (2025-02-17, 2025-02, 2025), day first with dots
    (17.02.2025), year first with dots (2025. 2. 17., as Korean writes it),
    quarters (Q4 2024, 2024-Q4, 4-й квартал 2024, 2024년 4분기) and month names
    in the language of the request or English ("17 лютого 2025", "2025년 1월",
    "February 2025"). Slashes (02/03/2025) are refused: they mean different days
    in different countries."""
    import re

    raw = " ".join(text.strip().lower().replace("\u202f", " ").replace("\xa0", " ").split())
    raw = re.sub(r"\s*(р\.|г\.|року|года|рік|год)$", "", raw).strip()
    if not raw or ("/" in raw and "분기" not in raw):
        return None
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw):
            return ReportedDate.of(datetime.date(int(m[1]), int(m[2]), int(m[3])), DatePrecision.DAY)
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", raw):
            return ReportedDate.of(datetime.date(int(m[1]), int(m[2]), 1), DatePrecision.MONTH)
        if m := re.fullmatch(r"(\d{4})(?:년)?", raw):
            return ReportedDate.of(datetime.date(int(m[1]), 1, 1), DatePrecision.YEAR)
        if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", raw):
            return ReportedDate.of(datetime.date(int(m[3]), int(m[2]), int(m[1])), DatePrecision.DAY)
        if m := re.fullmatch(r"(\d{4})\.\s?(\d{1,2})\.\s?(\d{1,2})\.?", raw):
            return ReportedDate.of(datetime.date(int(m[1]), int(m[2]), int(m[3])), DatePrecision.DAY)
        if m := re.fullmatch(r"(\d{4})년\s?(\d{1,2})월(?:\s?(\d{1,2})일)?", raw):
            day = int(m[3]) if m[3] else 1
            precision = DatePrecision.DAY if m[3] else DatePrecision.MONTH
            return ReportedDate.of(datetime.date(int(m[1]), int(m[2]), day), precision)
        quarter = None
        if m := re.fullmatch(r"q([1-4])\s?(\d{4})|(\d{4})-?\s?q([1-4])|(\d{4})년\s?(?:제\s?)?([1-4])(?:/4)?분기", raw):
            quarter = (int(m[2] or m[3] or m[5]), int(m[1] or m[4] or m[6]))
        elif m := re.fullmatch(r"([1-4])\s?(?:-?й|-?го)?\s?(?:квартал|кв\.?)\s?(\d{4})", raw):
            quarter = (int(m[2]), int(m[1]))
        if quarter:
            year, number = quarter
            return ReportedDate.of(datetime.date(year, 3 * (number - 1) + 1, 1), DatePrecision.QUARTER)
        months = _month_names(language)
        if m := re.fullmatch(r"(\d{1,2})\s([^\d\s]+)\s(\d{4})", raw):
            month = months.get(m[2].rstrip(".,"))
            if month:
                return ReportedDate.of(datetime.date(int(m[3]), month, int(m[1])), DatePrecision.DAY)
        if m := re.fullmatch(r"([^\d\s]+)\s(\d{1,2}),?\s(\d{4})", raw):
            month = months.get(m[1].rstrip(".,"))
            if month:
                return ReportedDate.of(datetime.date(int(m[3]), month, int(m[2])), DatePrecision.DAY)
        if m := re.fullmatch(r"([^\d\s]+)\s(\d{4})", raw):
            month = months.get(m[1].rstrip(".,"))
            if month:
                return ReportedDate.of(datetime.date(int(m[2]), month, 1), DatePrecision.MONTH)
    except ValueError:  # 31 February
        return None
    return None
