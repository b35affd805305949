"""Admin for people: a person's page holds their names, identifiers and detentions."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import AUDIT_FIELDS, VigilAdmin, VigilStackedInline, VigilTabularInline
from core.forms import VersionedModelForm
from people.duplicates import Draft, candidates_for
from people.models import Detention, Person, PersonIdentifier, PersonName
from people.reasons import labels


class PersonAdminForm(VersionedModelForm):
    """A new person is checked against those already recorded (people/duplicates.py):
    saving waits until the editor confirms it is someone else."""

    confirm_new = forms.BooleanField(
        required=False,
        label=_("This is someone new"),
        help_text=_("Tick to save even though people shown above match."),
    )
    user = None  # set per request by PersonAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None or cleaned.get("confirm_new") or self.user is None:
            return cleaned
        draft = Draft(
            names=[n for n in (cleaned.get("display_name"), cleaned.get("name_original")) if n],
            birth_date=cleaned.get("birth_date"),
            birth_precision=cleaned.get("birth_date_precision") or "day",
            nationality=str(cleaned.get("nationality") or ""),
        )
        found = candidates_for(draft=draft, user=self.user)
        if found:
            raise ValidationError(
                [
                    gettext("May already be recorded: %(person)s (#%(pk)s, score %(score)s: %(reasons)s).")
                    % {"person": c.person, "pk": c.person.pk, "score": c.score, "reasons": ", ".join(labels(c.reasons))}
                    for c in found
                ]
                + [gettext("If this is someone new, tick “This is someone new” and save again.")]
            )
        return cleaned


class PersonNameInline(VigilTabularInline):
    model = PersonName
    fields = ("name", "kind", "language", "note")
    show_change_link = False


class PersonIdentifierInline(VigilTabularInline):
    model = PersonIdentifier
    fields = ("kind", "value", "issuer")
    show_change_link = False


class DetentionInline(VigilStackedInline):
    """Stacked, a few fields a line: eight columns of places and dates do not fit a 1,280 px window."""

    model = Detention
    fields = (
        ("facility", "locality"),
        ("region", "country"),
        "authority",
        ("started_on", "started_on_precision"),
        ("ended_on", "ended_on_precision"),
    )
    autocomplete_fields = ("authority",)


class NameSearchAdmin(VigilAdmin):
    """Searching finds a person by any recorded name and by unrecorded
    spellings of it (people/names.py), in the changelist and in autocompletes."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search_names(search_term), False


@admin.register(Person)
class PersonAdmin(NameSearchAdmin):
    list_display = ("display_name", "name_original", "nationality", "legal_status", "status", "risk_level")
    list_filter = ("status", "legal_status", "risk_level", "nationality", "sex")
    list_select_related = ("depends_on",)
    search_fields = ("display_name",)  # widened to every name and spelling by get_search_results
    search_help_text = "Any name, in any script or romanization: 리정철, Ri Jong Chol, Lee Jung-chul, Ри Чон Чхоль."
    autocomplete_fields = ("depends_on",)
    inlines = (PersonNameInline, PersonIdentifierInline, DetentionInline)
    form = PersonAdminForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # adding: the duplicate check's confirmation
            (title, options), *rest = fieldsets
            fieldsets = [(title, {**options, "fields": [*options["fields"], "confirm_new"]}), *rest]
        return fieldsets

    fieldsets = (
        (_("Identity"), {"fields": ("display_name", "name_original", "sex", "nationality", "description")}),
        (
            _("Birth"),
            {
                "fields": (
                    ("birth_date", "birth_date_precision"),
                    "age_estimate",
                    ("birth_year_earliest", "birth_year_latest"),
                    "place_of_birth",
                )
            },
        ),
        (_("Status"), {"fields": ("legal_status", "status", "identifying_features")}),
        (_("Military"), {"fields": ("rank", "unit", "depends_on")}),
        (_("Risk if returned"), {"fields": ("risk_level", "risk_reason")}),
        (
            _("Sensitive: health, welfare, family (GC III Art. 17, 70, 122)"),
            {
                "classes": ("collapse",),
                "fields": (
                    "health_notes",
                    "welfare_notes",
                    "father_first_name",
                    "mother_maiden_name",
                    "person_to_inform",
                ),
            },
        ),
        (_("Record"), {"classes": ("collapse",), "fields": AUDIT_FIELDS}),
    )


@admin.register(PersonName)
class PersonNameAdmin(VigilAdmin):
    list_display = ("name", "person", "kind", "language")
    list_filter = ("kind",)
    list_select_related = ("person",)
    search_fields = ("name",)
    autocomplete_fields = ("person",)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        from people.names import query_keys
        from people.querysets import matches

        return queryset.filter(matches(query_keys(search_term))), False


@admin.register(PersonIdentifier)
class PersonIdentifierAdmin(VigilAdmin):
    list_display = ("value", "kind", "issuer", "person")
    list_filter = ("kind",)
    list_select_related = ("person",)
    search_fields = ("value", "issuer", "person__display_name")
    autocomplete_fields = ("person",)


@admin.register(Detention)
class DetentionAdmin(VigilAdmin):
    list_display = ("person", "facility", "locality", "region", "country", "authority", "started_on", "ended_on")
    list_filter = ("country", "authority")
    list_select_related = ("person", "authority")
    search_fields = ("facility", "locality", "person__display_name")
    autocomplete_fields = ("person", "authority")
    date_hierarchy = "started_on"
