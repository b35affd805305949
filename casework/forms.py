"""Dashboard forms for casework: the cases filter form and the case page's quick actions.

Forms validate input; the services in casework/services.py change state.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms.utils import pretty_name
from django.utils.translation import gettext_lazy as _

from casework.models import CaseNote, FollowUp, RequestStatus, Stance, StatedRequest
from core.forms import DateInput, ReportedDateField, clean_fuzzy_date, fuzzy_date_fields
from events.forms import NEW_SOURCE_FIELDS, SourceFieldsMixin, spoken_by_field

# Filters of CaseFilterSet kept out of the form (still honoured in the URL).
HIDDEN_FILTERS = ("reference", "lead", "confidentiality")


def style_filter_form(form: forms.Form) -> forms.Form:
    """Dashboard widgets for a FilterSet's form: checkboxes for multiple
    choices, date pickers for dates, a search box for ``q``."""
    for name, field in list(form.fields.items()):
        if name in HIDDEN_FILTERS:
            field.widget = forms.HiddenInput()
        elif isinstance(field, forms.MultipleChoiceField):
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        elif isinstance(field, forms.DateField):
            field.widget = DateInput()
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
            field.choices = [("", "any"), *(choice for choice in field.choices if choice[0] != "")]
    if "q" in form.fields:
        form.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": "Reference, title or words in the summary"}
        )
    return form


def describe_filters(form: forms.Form) -> list[tuple[str, str]]:
    """(label, values in words) for each filter in use, e.g. ("Status", "active, stalled")."""
    if not form.is_bound or not form.is_valid():
        return []
    described = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name in ("q", *HIDDEN_FILTERS) or value in (None, "", [], ()):
            continue
        values = value if isinstance(value, list | tuple) else [value]
        labels = dict(field.choices) if hasattr(field, "choices") else {}
        words = ", ".join(str(labels.get(str(v), v)) for v in values)
        described.append((str(field.label or pretty_name(name)), words))
    return described


class NoteForm(forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["body"]
        labels = {"body": _("Note")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["title", "due_on", "assignee", "notes"]
        labels = {"title": _("Title"), "due_on": _("Due on"), "assignee": _("Assignee"), "notes": _("Notes")}
        # A day typed as the user writes it (17.02.2025, 2025-02-17), never the browser's mm/dd/yyyy.
        field_classes = {"due_on": ReportedDateField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Someone who can see the case: its lead, its team, or the user writing it.
        people = Q(pk=user.pk) | Q(team_cases=case)
        if case.lead_id:
            people |= Q(pk=case.lead_id)
        self.fields["assignee"].queryset = get_user_model().objects.filter(people).distinct().order_by("username")
        self.fields["assignee"].initial = user.pk


class RequestUpdateForm(SourceFieldsMixin):
    """Quick action: where a request stands now (or that it was asked again)."""

    fieldsets = (
        (_("The update"), ("status", "occurred_on", "occurred_on_precision", "note")),
        (_("Source"), ("source", *NEW_SOURCE_FIELDS)),
    )

    status = forms.ChoiceField(
        choices=[("", _("— choose —")), *RequestStatus.choices],
        label=_("new status"),
        help_text=_("Keep the same status to record that the request was made again."),
    )
    occurred_on, occurred_on_precision = fuzzy_date_fields(_("happened on"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, stated_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].help_text += f" Now: {stated_request.get_status_display()}."
        self.order_fields([name for _legend, names in self.fieldsets for name in names])

    def clean(self):
        data = super().clean()
        clean_fuzzy_date(self, "occurred_on")
        return data


class PositionForm(SourceFieldsMixin):
    """Quick action: a government's new statement of position."""

    fieldsets = (
        (_("Who, on what"), ("involvement", "request", "stance", "stated_on", "stated_on_precision")),
        (_("What they said"), ("condition", "condition_request", "statement_original", "statement_language")),
        ("", ("spoken_by",)),
        (_("Source"), ("source", *NEW_SOURCE_FIELDS)),
    )

    involvement = forms.ModelChoiceField(queryset=None, label=_("government"), empty_label=_("— choose —"))
    request = forms.ModelChoiceField(queryset=None, required=False, label=_("on"), empty_label=_("the case as a whole"))
    stance = forms.ChoiceField(label=_("Stance"), choices=[("", _("— choose —")), *Stance.choices])
    stated_on, stated_on_precision = fuzzy_date_fields(_("stated on"))
    condition = forms.CharField(
        label=_("Condition"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("For a conditional position: “will accept them if their intentions are verified”."),
    )
    condition_request = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("the condition depends on"),
        empty_label=_("— no request —"),
        help_text=_("Where the condition is another request's verification."),
    )
    statement_original = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("statement (original language)")
    )
    statement_language = forms.CharField(max_length=35, required=False, label=_("language"), help_text=_("“ko”, “uk”."))
    spoken_by = spoken_by_field()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["involvement"].queryset = case.involvements.select_related("government").order_by(
            "government__name"
        )
        requests = (
            StatedRequest.objects.visible_to(self.user)
            .filter(case=case)
            .select_related("person")
            .order_by("person__display_name", "id")
        )
        self.fields["request"].queryset = requests
        self.fields["condition_request"].queryset = requests
        self.order_fields([name for _legend, names in self.fieldsets for name in names])

    def clean(self):
        data = super().clean()
        clean_fuzzy_date(self, "stated_on")
        if data.get("condition_request") and data.get("stance") != Stance.CONDITIONAL:
            self.add_error("condition_request", _("Only a conditional position can depend on another request."))
        return data
