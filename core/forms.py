"""Form pieces every app's dashboard forms share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.dates import DatePrecision

DATE_HELP = "For a month, quarter or year, pick any day in it and choose the precision."


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def fuzzy_date_fields(label: str, *, required: bool = False, today: bool = True) -> tuple[forms.Field, forms.Field]:
    """A reported date and its precision, as two form fields named ``<x>`` and ``<x>_precision``."""
    date = forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        initial=timezone.localdate if today else None,
        help_text=DATE_HELP,
    )
    precision = forms.ChoiceField(label="precision", choices=DatePrecision.choices, initial=DatePrecision.DAY)
    return date, precision


def clean_fuzzy_date(form: forms.Form, field: str) -> None:
    """A date is needed unless its precision is "unknown" (then it is dropped)."""
    data = form.cleaned_data
    precision = data.get(f"{field}_precision")
    if precision == DatePrecision.UNKNOWN:
        data[field] = None
    elif precision and data.get(field) is None and field not in form.errors:
        form.add_error(field, "Give a date, or choose “unknown” as its precision.")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError by the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
