"""Dashboard forms of evidence: upload (several files at once), a derived copy, a redaction."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.models import CaseSubject
from core.querysets import visible
from events.models import Event, Source
from evidence.choices import Derivation
from people.models import Person


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the drop zone sends them all)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"data-drop-input": ""}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data] if data else single(None, initial)
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Files"), help_text=_("Drop files here or choose them; several at once."))
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.none(),
        required=False,
        help_text=_("The source these files are (the original document)."),
    )
    events = forms.ModelMultipleChoiceField(queryset=Event.objects.none(), required=False, label=_("Supports events"))
    people = forms.ModelMultipleChoiceField(queryset=Person.objects.none(), required=False, label=_("Shows people"))
    sensitive = forms.BooleanField(
        label=_("Sensitive"),
        required=False,
        help_text=_("Only for those allowed to see sensitive details (faces, health, identities)."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = visible(Source.objects.all(), user).order_by("title")
        self.fields["events"].queryset = Event.objects.visible_to(user).filter(case=case)
        subjects = CaseSubject.objects.visible_to(user).filter(case=case).values("person")
        self.fields["people"].queryset = Person.objects.visible_to(user).filter(pk__in=subjects)


class DerivativeForm(forms.Form):
    file = forms.FileField(label=_("Derived copy"))
    derivation = forms.ChoiceField(choices=Derivation.choices, label=_("What it is"))
    note = forms.CharField(
        label=_("What was done"), max_length=2000, help_text=_('"Faces blurred", "translated from Korean".')
    )


RECTANGLE = re.compile(r"^\s*(\d{1,6})\s*,\s*(\d{1,6})\s*,\s*(\d{1,6})\s*,\s*(\d{1,6})\s*$")


class RedactForm(forms.Form):
    rectangles = forms.CharField(
        label=_("Rectangles"),
        max_length=4000,
        help_text=_("Areas to black out, in the image's pixels: left,top,right,bottom; one per line or separated by ;"),
        widget=forms.Textarea(attrs={"rows": 3, "data-redact-rectangles": ""}),
    )
    note = forms.CharField(required=False, max_length=500, label=_("Why (optional)"))

    def clean_rectangles(self) -> list[tuple[int, int, int, int]]:
        rectangles = []
        for part in re.split(r"[;\n]+", self.cleaned_data["rectangles"]):
            if not part.strip():
                continue
            match = RECTANGLE.match(part)
            if match is None:
                raise forms.ValidationError(
                    gettext("“%(part)s” is not left,top,right,bottom in whole pixels.") % {"part": part.strip()[:40]}
                )
            rectangles.append(tuple(int(value) for value in match.groups()))
        if not rectangles or len(rectangles) > 100:
            raise forms.ValidationError(gettext("Give between 1 and 100 rectangles."))
        return rectangles
