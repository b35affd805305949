"""Dashboard forms for the timeline: choosing or describing a source, adding an event."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from casework.models import Actor, Government, RequestStatus, Stance, StatedRequest
from core.dates import DatePrecision
from core.forms import ReportedDateField, clean_fuzzy_date, fuzzy_date_fields
from events.models import Confidence, EventKind, Reliability, Sensitivity, Source, SourceKind
from events.services import CitedSource
from people.models import Person

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
    interpretation_confidence = forms.ChoiceField(
        choices=[("", "—"), *Confidence.choices], required=False, label=_("how sure that reading is")
    )
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

    def cited_sources(self, source: Source | None) -> list[CitedSource]:
        if source is None:
            return []
        return [CitedSource(source, self.cleaned_data["locator"], self.cleaned_data["confidence"])]


# ------------------------------------------------------- record a development


class PartForm(forms.Form):
    """One optional part of a development: left out when all its fields are empty,
    checked in full as soon as one is filled."""

    legend = ""

    def is_filled(self) -> bool:
        if not self.is_bound:
            return False
        return any(
            value.strip() if isinstance(value, str) else value
            for name in self.fields
            for value in self.data.getlist(self.add_prefix(name))
        )


def case_requests_field(label: str) -> forms.ModelMultipleChoiceField:
    return RequestsField(queryset=None, widget=forms.CheckboxSelectMultiple, label=label)


class RequestsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, request) -> str:
        return f"{request.person.display_name}: {request.summary}"


class EventPartForm(PartForm):
    legend = "An event"

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("— choose —")), *EventKind.choices])
    title = forms.CharField(
        label=_("Title"), max_length=300, help_text=_("One line: “Ukraine ready to discuss the transfer”.")
    )
    occurred_on, occurred_on_precision = fuzzy_date_fields(_("happened on"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    people = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("people concerned")
    )
    governments = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("governments concerned")
    )
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
    interpretation_confidence = forms.ChoiceField(
        choices=[("", "—"), *Confidence.choices], required=False, label=_("how sure that reading is")
    )
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity"),
        choices=[("", _("normal")), (Sensitivity.SENSITIVE, _("sensitive (health, welfare)"))],
        required=False,
    )

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = (
            Person.objects.visible_to(user).filter(case_subjects__case=case).order_by("display_name")
        )
        self.fields["governments"].queryset = Government.objects.filter(involvements__case=case).order_by("name")

    def is_filled(self) -> bool:
        # "sensitive" alone, or people ticked alone, do not make an event.
        return bool(self.is_bound and any(self.data.get(self.add_prefix(n)) for n in ("kind", "title", "occurred_on")))

    def clean(self):
        data = super().clean()
        clean_fuzzy_date(self, "occurred_on")
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["sensitivity"] = data["sensitivity"] or Sensitivity.NORMAL
        return data


class PositionPartForm(PartForm):
    legend = "A government's position"

    involvement = forms.ModelChoiceField(queryset=None, label=_("government"), empty_label=_("— choose —"))
    requests = case_requests_field(_("on the requests"))
    stance = forms.ChoiceField(label=_("Stance"), choices=[("", _("— choose —")), *Stance.choices])
    stated_on, stated_on_precision = fuzzy_date_fields(_("stated on"))
    condition = forms.CharField(
        label=_("Condition"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("For a conditional position: “if the ICRC confirms their free will”."),
    )
    statement_original = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("statement (original language)")
    )
    statement_language = forms.CharField(max_length=35, required=False, label=_("language"), help_text=_("“ko”, “uk”."))
    statement_translation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("statement (translation)")
    )
    spoken_by = spoken_by_field()

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["involvement"].queryset = case.involvements.select_related("government").order_by(
            "government__name"
        )
        self.fields["requests"].queryset = visible_requests(case, user)
        self.fields["requests"].required = False
        self.fields["requests"].help_text = _("None ticked: a position on the case as a whole.")

    def clean(self):
        data = super().clean()
        clean_fuzzy_date(self, "stated_on")
        return data

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class UpdatesPartForm(PartForm):
    legend = "Where requests stand now"

    requests = case_requests_field(_("requests"))
    status = forms.ChoiceField(
        choices=[("", _("— choose —")), *RequestStatus.choices],
        label=_("new status"),
        help_text=_("The same status as now records that the request was made again."),
    )
    occurred_on, occurred_on_precision = fuzzy_date_fields(_("happened on"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requests"].queryset = visible_requests(case, user)

    def clean(self):
        data = super().clean()
        clean_fuzzy_date(self, "occurred_on")
        return data

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class FollowUpPartForm(PartForm):
    legend = "A follow-up"

    title = forms.CharField(
        label=_("Title"), max_length=300, help_text=_("“Ask the ICRC whether it was asked to verify”.")
    )
    due_on = ReportedDateField(label=_("due on"))
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=None, required=False, empty_label=_("— nobody yet —")
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = Q(pk=user.pk) | Q(team_cases=case)
        if case.lead_id:
            people |= Q(pk=case.lead_id)
        self.fields["assignee"].queryset = get_user_model().objects.filter(people).distinct().order_by("username")

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


def visible_requests(case, user):
    return (
        StatedRequest.objects.visible_to(user)
        .filter(case=case)
        .select_related("person")
        .order_by("person__display_name", "id")
    )


class DevelopmentSourceForm(SourceFieldsMixin):
    legend = "The source"


class DevelopmentForms:
    """The "Record a development" page: a source and four optional parts, posted
    together (each part's fields prefixed with its name), saved by
    ``events.services.development_record`` in one transaction."""

    PARTS = (
        ("event", EventPartForm),
        ("position", PositionPartForm),
        ("updates", UpdatesPartForm),
        ("follow_up", FollowUpPartForm),
    )

    def __init__(self, data=None, *, case, user):
        self.case, self.user = case, user
        self.source = DevelopmentSourceForm(data, user=user)
        self.parts = {name: form(data, prefix=name, case=case, user=user) for name, form in self.PARTS}
        self.errors_above: list[str] = []

    def __iter__(self):
        return iter(self.parts.values())

    def filled(self) -> dict[str, PartForm]:
        return {name: form for name, form in self.parts.items() if form.is_filled()}

    def is_valid(self) -> bool:
        filled = self.filled()
        valid = self.source.is_valid()
        for form in filled.values():
            valid = form.is_valid() and valid
        if not filled:
            self.errors_above.append("Fill in at least one of: an event, a position, request updates, a follow-up.")
            return False
        needs_source = set(filled) - {"follow_up"}
        data = self.source.cleaned_data if hasattr(self.source, "cleaned_data") else {}
        if needs_source and valid and not data.get("source") and not data.get("new_source_title"):
            self.source.add_error("source", _("Say where this comes from: choose a source, or describe a new one."))
            valid = False
        return valid

    def service_kwargs(self) -> dict:
        data = self.source.cleaned_data
        kwargs = {name: form.service_data() for name, form in self.filled().items()}
        kwargs["source"] = data.get("source")
        if data.get("new_source_title"):
            kwargs["new_source"] = {
                "title": data["new_source_title"],
                "kind": data.get("new_source_kind") or SourceKind.NEWS_REPORT,
                "publisher": data.get("new_source_publisher", ""),
                "author": data.get("new_source_author"),
                "url": data.get("new_source_url", ""),
                "published_on": data.get("new_source_published_on"),
                "published_on_precision": data.get("new_source_published_on_precision") or DatePrecision.UNKNOWN,
                "language": data.get("new_source_language", ""),
                "reliability": data.get("new_source_reliability") or Reliability.F,
            }
        return kwargs

    def add_service_errors(self, parts: dict[str, dict[str, list[str]]]) -> None:
        """The service's errors by the fields they name (a new source's by its ``new_source_`` fields)."""
        for part, fields in parts.items():
            form = self.source if part == "source" else self.parts.get(part)
            for name, messages in fields.items():
                field = f"new_source_{name}" if part == "source" else name
                if form is not None and field in form.fields:
                    form.add_error(field, messages)
                else:
                    self.errors_above.extend(messages)
