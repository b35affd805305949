"""Form pieces every Vigil form shares (admin and dashboard)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.dates import FUTURE_DATE_MESSAGE, DatePrecision, normalise
from core.history import changes_since


class VersionedModelForm(forms.ModelForm):
    """Carries the version of the record the user opened. Saving over a newer
    version is refused with what the other person changed, and the form keeps
    what this user typed (the hidden version moves on, so a second save after
    review goes through). The save itself is conditional on the version too
    (core.models.VigilModel._do_update), so no race slips between check and write."""

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
            changes = changes_since(self.instance, seen, hidden=not_shown) or ["the record was changed"]
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_version")] = current
            raise ValidationError(
                "Someone else saved this record while you were editing it: "
                + "; ".join(changes)
                + ". Nothing of yours was saved yet: what you typed is still here. Check it against their "
                "change and save again.",
                code="stale",
            )
        self.instance.version = seen
        return cleaned


# ------------------------------------------------- the dashboard's quick actions

DATE_HELP = "For a month, quarter or year, pick any day in it and choose the precision."


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


NO_PRECISION = [("", "— precision —")]


def fuzzy_date_fields(label: str, *, required: bool = False) -> tuple[forms.Field, forms.Field]:
    """A reported date and its precision, as two form fields named ``<x>`` and ``<x>_precision``.

    Neither is preset: a form that opened on today at day precision recorded a false
    fact on one careless Save. The precision must be chosen; the date is needed
    unless it is "unknown" (``clean_fuzzy_date``)."""
    date = forms.DateField(label=label, required=required, widget=DateInput(), help_text=DATE_HELP)
    precision = forms.ChoiceField(label="precision", choices=NO_PRECISION + list(DatePrecision.choices))
    return date, precision


def clean_fuzzy_date(form: forms.Form, field: str) -> None:
    """A date is needed unless its precision is "unknown" (then it is dropped);
    it may not be in the future (the period's first day after the user's today)."""
    data = form.cleaned_data
    precision = data.get(f"{field}_precision")
    if precision == DatePrecision.UNKNOWN:
        data[field] = None
    elif data.get(field) is None and field not in form.errors:
        form.add_error(field, "Give a date, or choose “unknown” as its precision.")
    elif data.get(field) is not None and normalise(data[field], precision or DatePrecision.DAY) > timezone.localdate():
        form.add_error(field, FUTURE_DATE_MESSAGE)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError by the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
