"""Form pieces every Vigil form shares (admin and dashboard)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

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
            changes = changes_since(self.instance, seen) or ["the record was changed"]
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
