"""Recording a development: one source, and any of an event, a position, request updates and a follow-up."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Government, RequestStatus, Stance, StatedRequest
from core.dates import DatePrecision
from core.forms import ReportedDateField, clean_fuzzy_date, fuzzy_date_fields
from events.forms.event import observed_fields
from events.forms.sources import SourceFieldsMixin, spoken_by_field
from events.models import EventKind, Reliability, Sensitivity, SourceKind
from people.models import Person


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
    actors, interpretation, interpretation_confidence = observed_fields()
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
