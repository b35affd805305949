"""The case page's quick actions that cite a source (events/forms/sources.py):
a request's update, a government's position.

Forms validate input; the services in casework/services.py change state.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import RequestStatus, Stance, StatedRequest
from core.forms import clean_fuzzy_date, fuzzy_date_fields
from events.forms import NEW_SOURCE_FIELDS, SourceFieldsMixin, spoken_by_field


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
        ("", ("statement_translation", "spoken_by")),
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
    statement_translation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("statement (translation)")
    )
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
        clean_fuzzy_date(self, "stated_on")  # a condition without a conditional stance: the model says so
        return data
