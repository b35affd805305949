"""The case page's quick actions that cite a source (events/forms/sources.py):
a request's update, a government's position.

Forms validate input; the services in casework/services.py change state.
"""

from __future__ import annotations

from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import (
    Actor,
    Government,
    Intervention,
    InterventionKind,
    InterventionStatus,
    LegalBasis,
    RequestStatus,
    Stance,
    StatedRequest,
)
from core.dates import DatePrecision, normalise
from core.forms import clean_fuzzy_date, fuzzy_date_fields
from events.forms import NEW_SOURCE_FIELDS, SourceFieldsMixin, spoken_by_field
from events.models import Source


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
        clean_fuzzy_date(self, "stated_on")  # a condition without a conditional stance: the model says so
        return data


# ------------------------------------------------- interventions and legal arguments


class RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, request) -> str:
        return f"{request.person.display_name}: {request.summary}"


def case_request_choices(case, user):
    """The case's requests the user may see (a request follows its person's visibility)."""
    return (
        StatedRequest.objects.visible_to(user)
        .filter(case=case)
        .select_related("person")
        .order_by("person__display_name", "id")
    )


def argued_by_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Actor.objects.order_by("name", "id"),
        required=False,
        label=_("argued by"),
        empty_label=_("— not said —"),
        help_text=_("An organisation or person who makes the argument; add new ones in the admin."),
    )


def basis_field(*, required: bool) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=LegalBasis.objects.order_by("name"),
        required=required,
        label=_("legal basis"),
        empty_label=_("— choose —") if required else _("— no legal argument —"),
        help_text=_("From the vocabulary of legal bases; a data manager adds new ones in the admin."),
    )


#: The fields of the legal argument made in an intervention (``legal_argument_record``'s keywords).
ARGUMENT_FIELDS = ("basis", "argument", "argued_by")
ARGUMENT_HELP = _("In words: “granting them asylum would align with South Korea's humanitarian obligations”.")


class InterventionForm(forms.Form):
    """Quick action: what we did (a letter, a meeting, a petition), and the legal argument made in it."""

    fieldsets = (
        (_("What we did"), ("kind", "status", "occurred_on", "occurred_on_precision")),
        (_("To whom, about what"), ("government", "addressed_to_actor", "request", "asked")),
        (_("The legal argument made in it (if any)"), ARGUMENT_FIELDS),
    )

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("— choose —")), *InterventionKind.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("— choose —")), *InterventionStatus.choices],
        help_text=_("Only a planned intervention may have a date ahead."),
    )
    occurred_on, occurred_on_precision = fuzzy_date_fields(_("date"))
    government = forms.ModelChoiceField(
        queryset=Government.objects.order_by("name"),
        required=False,
        label=_("addressed to (government)"),
        empty_label=_("— none —"),
    )
    addressed_to_actor = forms.ModelChoiceField(
        queryset=Actor.objects.order_by("name", "id"),
        required=False,
        label=_("addressed to (organisation or person)"),
        empty_label=_("— none —"),
        help_text=_("The ICRC, an NGO, an official: beside or instead of a government."),
    )
    request = RequestChoiceField(queryset=None, required=False, label=_("about"), empty_label=_("the case as a whole"))
    asked = forms.CharField(label=_("what we asked"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    basis = basis_field(required=False)
    argument = forms.CharField(
        label=_("argument"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=ARGUMENT_HELP
    )
    argued_by = argued_by_field()

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["request"].queryset = case_request_choices(case, user)
        self.order_fields([name for _legend, names in self.fieldsets for name in names])

    def clean(self):
        data = super().clean()
        clean_fuzzy_date(self, "occurred_on", future=True)  # ahead only when planned: said here
        day, precision = data.get("occurred_on"), data.get("occurred_on_precision") or DatePrecision.DAY
        ahead = day is not None and normalise(day, precision) > timezone.localdate()
        if ahead and data.get("status") != InterventionStatus.PLANNED and "occurred_on" not in self.errors:
            self.add_error("occurred_on", FUTURE_INTERVENTION)
        if not data.get("basis") and (data.get("argument") or data.get("argued_by")):
            self.add_error("basis", _("Choose the legal basis the argument rests on."))
        if data.get("basis") and not self.user.has_perm("casework.add_legalargument"):
            self.add_error("basis", _("You may not record legal arguments."))
        return data

    def arguments(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("basis"):
            return []
        return [{name: data[name] for name in ARGUMENT_FIELDS}]

    def service_data(self) -> dict:
        """``intervention_record``'s keywords: the intervention's fields, and the argument made in it."""
        made = {name: value for name, value in self.cleaned_data.items() if name not in ARGUMENT_FIELDS}
        return {**made, "arguments": self.arguments()}


FUTURE_INTERVENTION = _(
    "This date is in the future: only a planned intervention lies ahead. Choose “planned”, or give the date it "
    "happened."
)


class InterventionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, intervention) -> str:
        return str(intervention)


class LegalArgumentForm(forms.Form):
    """Quick action: an argument resting on a legal basis, for a request and/or in an intervention."""

    basis = basis_field(required=True)
    argument = forms.CharField(
        label=_("argument"), widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=ARGUMENT_HELP
    )
    request = RequestChoiceField(queryset=None, required=False, label=_("for the request"), empty_label=_("— none —"))
    intervention = InterventionChoiceField(
        queryset=None, required=False, label=_("in the intervention"), empty_label=_("— none —")
    )
    argued_by = argued_by_field()
    source = forms.ModelChoiceField(queryset=None, required=False, label=_("Source"), empty_label=_("— none —"))

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = case_request_choices(case, user)
        self.fields["intervention"].queryset = (
            Intervention.objects.visible_to(user)
            .filter(case=case)
            .select_related("government", "addressed_to_actor")
            .order_by(F("occurred_on").desc(nulls_last=True), "-id")
        )
        self.fields["source"].queryset = Source.objects.visible_to(user).order_by("-published_on", "-id")

    def clean(self):
        data = super().clean()
        if (
            not data.get("request")
            and not data.get("intervention")
            and not self.errors.keys()
            & {
                "request",
                "intervention",
            }
        ):
            self.add_error(
                "request", _("Choose the request the argument is made for, or the intervention it was made in.")
            )
        return data
