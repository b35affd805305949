"""Forms of the person pages: the duplicate review (which person is merged in, and which of its
values win) and a person's approximate age."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ReportedDateField, VersionedModelForm
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


class BirthYearsForm(VersionedModelForm):
    """Quick action on a person's page: an approximate age as years of birth, typed as
    years ("born 1995 to 2005") or worked out from an age as reported ("in their 20s"
    in an article of March 2025: aged 20 to 29 on that date)."""

    fieldsets = (
        (_("Years of birth"), ("birth_year_earliest", "birth_year_latest")),
        (_("or an age as reported"), ("age_youngest", "age_oldest", "age_on")),
        ("", ("age_estimate", "seen_version")),
    )

    age_youngest = forms.IntegerField(label=_("aged at least"), min_value=0, max_value=120, required=False)
    age_oldest = forms.IntegerField(label=_("aged at most"), min_value=0, max_value=120, required=False)
    age_on = ReportedDateField(
        label=_("on (the date of the report)"),
        required=False,
        help_text=_("The day the age was reported, or its month or year."),
    )

    class Meta:
        model = Person
        fields = ["birth_year_earliest", "birth_year_latest", "age_estimate"]
        labels = {
            "birth_year_earliest": _("born in or after"),
            "birth_year_latest": _("born in or before"),
            "age_estimate": _("the age in words"),
        }
        help_texts = {
            "birth_year_earliest": _("A year: 1995."),
            "birth_year_latest": _("A year: 2005. The same year as above if it is known."),
            "age_estimate": _("As it was reported: “in their 20s”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([name for _legend, names in self.fieldsets for name in names])

    def clean(self):
        data = super().clean()
        ages = [data.get(name) for name in ("age_youngest", "age_oldest", "age_on")]
        years = data.get("birth_year_earliest") is not None or data.get("birth_year_latest") is not None
        if any(value is not None for value in ages):
            if years:
                self.add_error("age_youngest", _("Give the years of birth or an age, not both."))
            elif None in ages:
                for name, value in zip(("age_youngest", "age_oldest", "age_on"), ages, strict=True):
                    if value is None and name not in self.errors:
                        self.add_error(name, _("An age needs its youngest, its oldest and the date it was reported."))
            elif ages[0] > ages[1]:
                self.add_error("age_oldest", _("The oldest age is at least the youngest."))
            elif ages[2] > timezone.localdate():
                self.add_error("age_on", _("This date is in the future: give the date the age was reported."))
            else:
                on = ages[2]
                data["birth_year_earliest"], data["birth_year_latest"] = Person.birth_years_for_age(
                    ages[0], ages[1], on
                )
        return data
