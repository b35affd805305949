"""Adding an event to a case, with its source."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from casework.models import Actor, Government
from core.forms import clean_fuzzy_date, fuzzy_date_fields
from events.forms.sources import NEW_SOURCE_FIELDS, SourceFieldsMixin
from events.models import Confidence, EventKind, Sensitivity
from events.services import CitedSource
from people.models import Person


def observed_fields() -> tuple[forms.Field, forms.Field, forms.Field]:
    """An event's actors present, and the reading of an observation with how sure it is:
    the same three fields in the event form and the record-a-development form."""
    actors = forms.ModelMultipleChoiceField(
        queryset=Actor.objects.order_by("name"),
        required=False,
        label=_("actors present"),
        help_text=_("Organisations and people other than governments: a producer who met them, the ICRC."),
    )
    interpretation = forms.CharField(
        label=_("Interpretation"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("For an observation of uncertain meaning: every reading (“loyalty, or fear of repercussions”)."),
    )
    confidence = forms.ChoiceField(
        choices=[("", "—"), *Confidence.choices], required=False, label=_("how sure that reading is")
    )
    return actors, interpretation, confidence


class EventForm(SourceFieldsMixin):
    """Quick action: something happened, and where we read it."""

    source_required = True
    fieldsets = (
        (_("What happened"), ("kind", "title", "occurred_on", "occurred_on_precision", "description", "language")),
        (_("Where, and who"), ("place", "country", "people", "governments", "actors", "sensitivity")),
        (_("What it may mean (an observation)"), ("interpretation", "interpretation_confidence")),
        (_("Source"), ("source", *NEW_SOURCE_FIELDS, "locator", "confidence")),
    )

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("— choose —")), *EventKind.choices])
    title = forms.CharField(
        label=_("Title"), max_length=300, help_text=_("One line: “Both ask again to go to South Korea”.")
    )
    occurred_on, occurred_on_precision = fuzzy_date_fields(_("happened on"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    language = forms.CharField(
        max_length=16,
        required=False,
        label=_("language of the title and description"),
        help_text=_("BCP 47: “ko”, “uk”, “ru”, “en”. Translations are added beside the original, never over it."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=[("", "—"), *countries], required=False)
    people = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("people concerned")
    )
    governments = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("governments involved")
    )
    actors, interpretation, interpretation_confidence = observed_fields()
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity"),
        choices=Sensitivity.choices,
        initial=Sensitivity.NORMAL,
        help_text=_("Sensitive events (health, welfare) are shown only to those allowed to see them."),
    )
    locator = forms.CharField(
        max_length=500, required=False, label=_("where in the source"), help_text=_("A quote, page or timestamp.")
    )
    confidence = forms.ChoiceField(label=_("Confidence"), choices=Confidence.choices, initial=Confidence.PROBABLE)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["language"].initial = get_language()  # what the writer most likely writes in
        self.fields["people"].queryset = (
            Person.objects.visible_to(self.user).filter(case_subjects__case=case).order_by("display_name")
        )
        self.fields["governments"].queryset = Government.objects.filter(involvements__case=case).order_by("name")
        self.order_fields([name for _legend, names in self.fieldsets for name in names])

    def clean(self):
        data = super().clean()
        clean_fuzzy_date(self, "occurred_on")
        return data

    def service_data(self) -> dict:
        """``event_record``'s keywords: the event's fields, and ``sources``: the chosen or new source
        (saved now: call inside the action's transaction) with where in it and how sure."""
        data = super().service_data()
        source, locator, confidence = data.pop("source"), data.pop("locator"), data.pop("confidence")
        return {**data, "sources": [CitedSource(source, locator, confidence)] if source is not None else []}
