from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from watch.models.choices import URGENT_TRIGGERS, Delivery, DigestFrequency, Trigger


class PreferencesForm(forms.Form):
    digest = forms.ChoiceField(label=_("Digest"), choices=DigestFrequency.choices)
    quiet_from = forms.TimeField(label=_("Quiet from"), required=False, help_text="e.g. 22:00")
    quiet_until = forms.TimeField(label=_("Quiet until"), required=False, help_text="e.g. 07:00")

    def __init__(self, *args, deliveries: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for trigger in Trigger:
            if trigger in URGENT_TRIGGERS:
                continue  # always by every channel
            self.fields[f"delivery_{trigger.value}"] = forms.ChoiceField(
                label=trigger.label.capitalize(), choices=Delivery.choices, initial=deliveries.get(trigger.value)
            )

    def deliveries(self) -> dict[str, str]:
        return {
            name.removeprefix("delivery_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("delivery_")
        }


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("What is being done about it."),
    )


class SinceForm(forms.Form):
    since = forms.DateField(label=_("Since"), required=False)
    case = forms.CharField(label=_("Case"), required=False, max_length=20)
