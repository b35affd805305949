"""Dashboard forms for the timeline: choosing or describing a source, adding an event."""

from __future__ import annotations

from django import forms
from django_countries import countries

from casework.models import Government
from core.forms import clean_fuzzy_date, fuzzy_date_fields
from events.models import Confidence, EventKind, Reliability, Sensitivity, Source, SourceKind
from events.services import CitedSource
from people.models import Person

NEW_SOURCE_FIELDS = (
    "new_source_title",
    "new_source_kind",
    "new_source_publisher",
    "new_source_url",
    "new_source_reliability",
)


class SourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, source: Source) -> str:
        published = f", {source.published}" if source.published_on else ""
        return f"{source}{published} [{source.reliability}]"


class SourceFieldsMixin(forms.Form):
    """Where a fact comes from: an existing source, or a new one described in
    the same form (created only when the whole form is valid)."""

    source_required = False

    source = SourceChoiceField(queryset=Source.objects.none(), required=False, label="Source", empty_label="— none —")
    new_source_title = forms.CharField(
        label="or a new source: title", required=False, max_length=400, help_text="A report, a statement, a call…"
    )
    new_source_kind = forms.ChoiceField(
        label="kind", choices=SourceKind.choices, initial=SourceKind.NEWS_REPORT, required=False
    )
    new_source_publisher = forms.CharField(label="publisher / author", required=False, max_length=200)
    new_source_url = forms.URLField(label="URL", required=False, max_length=1000, assume_scheme="https")
    new_source_reliability = forms.ChoiceField(
        label="reliability", choices=Reliability.choices, initial=Reliability.F, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["source"].queryset = Source.objects.visible_to(user).order_by("-published_on", "-id")
        if self.source_required:
            self.fields["source"].empty_label = "— choose, or describe a new one below —"

    def clean(self):
        data = super().clean()
        chosen, title = data.get("source"), data.get("new_source_title")
        described = any(data.get(name) for name in ("new_source_publisher", "new_source_url"))
        if chosen and (title or described):
            self.add_error("new_source_title", "Choose an existing source or describe a new one, not both.")
        elif described and not title:
            self.add_error("new_source_title", "Give the new source a title.")
        elif title and self.user is not None and not self.user.has_perm("events.add_source"):
            self.add_error("new_source_title", "You may not add sources: choose an existing one.")
        elif self.source_required and not chosen and not title and "source" not in self.errors:
            self.add_error("source", "Say where this comes from: choose a source, or describe a new one.")
        return data

    def resolve_source(self) -> Source | None:
        """The chosen source, or the new one saved now (call inside the action's transaction)."""
        data = self.cleaned_data
        if data.get("source"):
            return data["source"]
        if not data.get("new_source_title"):
            return None
        source = Source(
            title=data["new_source_title"],
            kind=data.get("new_source_kind") or SourceKind.OTHER,
            publisher=data.get("new_source_publisher", ""),
            url=data.get("new_source_url", ""),
            reliability=data.get("new_source_reliability") or Reliability.F,
        )
        source.full_clean()
        source.save()
        return source


class EventForm(SourceFieldsMixin):
    """Quick action: something happened, and where we read it."""

    source_required = True
    fieldsets = (
        ("What happened", ("kind", "title", "occurred_on", "occurred_on_precision", "description")),
        ("Where, and who", ("place", "country", "people", "governments", "sensitivity")),
        ("Source", ("source", *NEW_SOURCE_FIELDS, "locator", "confidence")),
    )

    kind = forms.ChoiceField(choices=EventKind.choices, initial=EventKind.MEDIA_REPORT)
    title = forms.CharField(max_length=300, help_text="One line: “Both ask again to go to South Korea”.")
    occurred_on, occurred_on_precision = fuzzy_date_fields("happened on")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    place = forms.CharField(max_length=200, required=False)
    country = forms.ChoiceField(choices=[("", "—"), *countries], required=False)
    people = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="people concerned"
    )
    governments = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="governments involved"
    )
    sensitivity = forms.ChoiceField(
        choices=Sensitivity.choices,
        initial=Sensitivity.NORMAL,
        help_text="Sensitive events (health, welfare) are shown only to those allowed to see them.",
    )
    locator = forms.CharField(
        max_length=500, required=False, label="where in the source", help_text="A quote, page or timestamp."
    )
    confidence = forms.ChoiceField(choices=Confidence.choices, initial=Confidence.PROBABLE)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["people"].queryset = (
            Person.objects.visible_to(self.user).filter(case_subjects__case=case).order_by("display_name")
        )
        self.fields["governments"].queryset = Government.objects.filter(involvements__case=case).order_by("name")
        self.order_fields([name for _legend, names in self.fieldsets for name in names])

    def clean(self):
        data = super().clean()
        clean_fuzzy_date(self, "occurred_on")
        return data

    def cited_sources(self, source: Source | None) -> list[CitedSource]:
        if source is None:
            return []
        return [CitedSource(source, self.cleaned_data["locator"], self.cleaned_data["confidence"])]
