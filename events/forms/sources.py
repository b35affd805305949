"""Choosing a source, or describing a new one, in the same form as the fact it supports."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Actor
from core.dates import DatePrecision
from core.forms import clean_fuzzy_date, fuzzy_date_fields
from events.models import Reliability, Source, SourceKind

NEW_SOURCE_FIELDS = (
    "new_source_title",
    "new_source_kind",
    "new_source_publisher",
    "new_source_author",
    "new_source_url",
    "new_source_published_on",
    "new_source_published_on_precision",
    "new_source_language",
    "new_source_reliability",
)


def spoken_by_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Actor.objects.order_by("name"),
        required=False,
        label=_("spoken by"),
        empty_label="— not said —",
        help_text=_("Who spoke for the government: a minister, a spokesperson."),
    )


class SourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, source: Source) -> str:
        published = f", {source.published}" if source.published_on else ""
        return f"{source}{published} [{source.reliability}]"


class SourceFieldsMixin(forms.Form):
    """Where a fact comes from: an existing source, or a new one described in
    the same form (created only when the whole form is valid)."""

    source_required = False

    source = SourceChoiceField(
        queryset=Source.objects.none(), required=False, label=_("Source"), empty_label=_("— none —")
    )
    new_source_title = forms.CharField(
        label=_("or a new source: title"), required=False, max_length=400, help_text=_("A report, a statement, a call…")
    )
    new_source_kind = forms.ChoiceField(
        label=_("kind"), choices=SourceKind.choices, initial=SourceKind.NEWS_REPORT, required=False
    )
    new_source_publisher = forms.CharField(label=_("publisher / author"), required=False, max_length=200)
    new_source_author = forms.ModelChoiceField(
        queryset=Actor.objects.order_by("name"),
        required=False,
        label=_("author or speaker"),
        empty_label=_("— none recorded —"),
        help_text=_("An organisation or person (Jang Se-yul, a ministry's spokesperson); add new ones in the admin."),
    )
    new_source_url = forms.URLField(label=_("URL"), required=False, max_length=1000, assume_scheme="https")
    new_source_published_on, new_source_published_on_precision = fuzzy_date_fields(_("published on"))
    new_source_published_on_precision.required = False  # needed only for a new source (clean)
    new_source_published_on_precision.label = _("publication date precision")
    new_source_language = forms.CharField(
        label=_("language"), required=False, max_length=35, help_text=_("BCP 47 tag: “en”, “ko”, “uk”.")
    )
    new_source_reliability = forms.ChoiceField(
        label=_("reliability"), choices=Reliability.choices, initial=Reliability.F, required=False
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
        described = any(
            data.get(name)
            for name in ("new_source_publisher", "new_source_author", "new_source_url", "new_source_published_on")
        )
        if chosen and (title or described):
            self.add_error("new_source_title", _("Choose an existing source or describe a new one, not both."))
        elif described and not title:
            self.add_error("new_source_title", _("Give the new source a title."))
        elif title and self.user is not None and not self.user.has_perm("events.add_source"):
            self.add_error("new_source_title", _("You may not add sources: choose an existing one."))
        elif self.source_required and not chosen and not title and "source" not in self.errors:
            self.add_error("source", _("Say where this comes from: choose a source, or describe a new one."))
        if title:
            if not data.get("new_source_published_on_precision"):
                self.add_error(
                    "new_source_published_on_precision", "Choose the precision of the date (“unknown” if it is)."
                )
            clean_fuzzy_date(self, "new_source_published_on")
        return data

    def service_data(self) -> dict:
        """What the action's service takes as ``**data``: the cleaned fields less the new source's,
        with ``source`` resolved (the chosen one, or the new one saved now: call inside the
        action's transaction)."""
        data = {name: value for name, value in self.cleaned_data.items() if not name.startswith("new_source_")}
        return {**data, "source": self.resolve_source()}

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
            author=data.get("new_source_author"),
            url=data.get("new_source_url", ""),
            reliability=data.get("new_source_reliability") or Reliability.F,
            published_on=data.get("new_source_published_on"),
            published_on_precision=data.get("new_source_published_on_precision") or DatePrecision.UNKNOWN,
            language=data.get("new_source_language", ""),
        )
        source.full_clean()
        source.save()
        return source
