"""Forms of the duplicate review: which person is merged in, and which of its values win."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from people.duplicates import MERGEABLE_FIELDS
from people.models import Person


class MergeForm(forms.Form):
    """``other`` is merged into the person of the page (``merge``), or judged not the same (``not_same``)."""

    action = forms.ChoiceField(choices=[("merge", _("merge")), ("not_same", _("not the same person"))])
    other = forms.ModelChoiceField(queryset=Person.objects.none())
    take = forms.MultipleChoiceField(choices=[(name, name) for name in MERGEABLE_FIELDS], required=False)

    def __init__(self, *args, user, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Person.objects.visible_to(user).exclude(pk=person.pk)
