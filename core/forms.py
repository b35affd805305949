"""Form pieces every Vigil form shares (admin and dashboard)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.dates import AMBIGUOUS_DATE_MESSAGE, FUTURE_DATE_MESSAGE, DatePrecision, normalise, parse_reported
from core.history import changes_since


class VersionedModelForm(forms.ModelForm):
    """Carries the version of the record the user opened. Saving over a newer
    version is refused with what the other person changed, and the form keeps
    what this user typed (the hidden version moves on, so a second save after
    review goes through). The save itself is conditional on the version too
    (core.internals.VersionCheckedUpdate), so no race slips between check and write."""

    # Not named "version": a ModelForm may not list the model's non-editable field.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and hasattr(self.instance, "version"):
            self.initial["seen_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk is None or seen is None or not hasattr(self.instance, "version"):
            return cleaned
        current = (
            type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        )
        if current is not None and current != seen:
            # Only fields this form shows: a sensitive field left out of it stays unsaid.
            not_shown = {field.name for field in self.instance._meta.concrete_fields} - set(self.fields)
            changes = changes_since(self.instance, seen, hidden=not_shown) or [str(_("the record was changed"))]
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_version")] = current
            raise ValidationError(
                gettext(
                    "Someone else saved this record while you were editing it: %(changes)s. Nothing of yours "
                    "was saved yet: what you typed is still here. Check it against their change and save again."
                )
                % {"changes": "; ".join(changes)},
                code="stale",
            )
        self.instance.version = seen
        return cleaned


# ------------------------------------------------- the dashboard's quick actions

DATE_HELP = _(
    "As you would write it: 17.02.2025, 2025-02-17, February 2025, Q4 2024 or 2025; the precision follows "
    "from what you type, or choose it."
)


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


NO_PRECISION = [("", _("— as typed —"))]


class ReportedDateField(forms.DateField):
    """A reported date typed as people write it, in the user's language or ISO, never
    guessed from a browser's locale (core.dates.parse_reported): "січень 2025" is a
    month, "2025년 4분기" a quarter, "17.02.2025" a day; 02/03/2025 is refused as
    ambiguous. The value is a ``ReportedDate`` carrying the precision the text had."""

    widget = forms.TextInput
    default_error_messages = {"invalid": AMBIGUOUS_DATE_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        parsed = parse_reported(str(value), get_language())
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


def fuzzy_date_fields(label: str, *, required: bool = False) -> tuple[forms.Field, forms.Field]:
    """A reported date and its precision, as two form fields named ``<x>`` and ``<x>_precision``.

    Neither is preset: a form that opened on today at day precision recorded a false
    fact on one careless Save. The precision must be chosen; the date is needed
    unless it is "unknown" (``clean_fuzzy_date``)."""
    date = ReportedDateField(label=label, required=required, help_text=DATE_HELP)
    precision = forms.ChoiceField(
        label=_("precision"), choices=NO_PRECISION + list(DatePrecision.choices), required=False
    )
    return date, precision


def clean_fuzzy_date(form: forms.Form, field: str, *, future: bool = False) -> None:
    """A date is needed unless its precision is "unknown" (then it is dropped);
    it may not be in the future (the period's first day after the user's today)
    unless ``future`` (a planned meeting)."""
    data = form.cleaned_data
    precision = data.get(f"{field}_precision")
    if not precision:
        # The precision the text carried ("січень 2025": month); none typed and none chosen: ask.
        precision = getattr(data.get(field), "precision", None)
        if precision is None:
            if data.get(field) is None and field not in form.errors:
                form.add_error(field, _("Give a date, or choose “unknown” as its precision."))
            elif f"{field}_precision" not in form.errors and field not in form.errors:
                form.add_error(f"{field}_precision", _("Choose the precision, or type the date as it was reported."))
            return
        data[f"{field}_precision"] = precision
    if precision == DatePrecision.UNKNOWN:
        data[field] = None
    elif data.get(field) is None and field not in form.errors:
        form.add_error(field, _("Give a date, or choose “unknown” as its precision."))
    elif (
        not future
        and data.get(field) is not None
        and normalise(data[field], precision or DatePrecision.DAY) > timezone.localdate()
    ):
        form.add_error(field, FUTURE_DATE_MESSAGE)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError by the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python, for long flat lists (the countries of the cases
    filters: about 250 options each). Django renders each option through its own
    template, some 20 µs an option: two country lists were most of the cases list's
    CPU time. The same markup as Django's ``select.html``; grouped choices fall back to it."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if self.allow_multiple_selected or any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        written = self.build_attrs(self.attrs, attrs).items()  # as django/forms/widgets/attrs.html writes them
        flat = format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", key) if item is True else format_html(' {}="{}"', key, item),)
                for key, item in written
                if item is not False
            ),
        )
        chosen = {str(item) for item in self.format_value(value)}
        selected = mark_safe(" selected")
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((option, selected if str(option) in chosen else "", label) for option, label in choices),
        )
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flat, options)
