"""Dashboard forms for casework: the cases filter form and the case page's quick actions.

Forms validate input; the services in casework/services.py change state.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms.utils import pretty_name
from django.utils.translation import gettext_lazy as _

from casework.models import CaseNote, FollowUp
from core.forms import DateInput, QuickSelect, ReportedDateField

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
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect(attrs=field.widget.attrs)  # long lists (countries): no template per option
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

    def __init__(self, *args, case, user, team=None, **kwargs):
        """``team``: the case's team as the page already read it (its users), so that the
        empty form offers them without reading them again; a bound form checks the choice
        against the database."""
        super().__init__(*args, **kwargs)
        # Someone who can see the case: its lead, its team, or the user writing it.
        people = Q(pk=user.pk) | Q(team_cases=case)
        if case.lead_id:
            people |= Q(pk=case.lead_id)
        field = self.fields["assignee"]
        field.queryset = get_user_model().objects.filter(people).distinct().order_by("username")
        field.initial = user.pk
        if team is not None and not self.is_bound:
            offered = {u.pk: u for u in (user, *team, *([case.lead] if case.lead_id else []))}
            field.choices = [("", field.empty_label)] + [
                (u.pk, field.label_from_instance(u)) for u in sorted(offered.values(), key=lambda u: u.username)
            ]
