"""Admin for people: a person's page holds their names, identifiers and detentions."""

from django.contrib import admin

from core.admin import AUDIT_FIELDS, VigilAdmin, VigilTabularInline
from people.models import Detention, Person, PersonIdentifier, PersonName


class PersonNameInline(VigilTabularInline):
    model = PersonName
    fields = ("name", "kind", "language", "note")
    show_change_link = False


class PersonIdentifierInline(VigilTabularInline):
    model = PersonIdentifier
    fields = ("kind", "value", "issuer")
    show_change_link = False


class DetentionInline(VigilTabularInline):
    model = Detention
    fields = (
        "facility",
        "locality",
        "country",
        "authority",
        "started_on",
        "started_on_precision",
        "ended_on",
        "ended_on_precision",
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
    fieldsets = (
        ("Identity", {"fields": ("display_name", "name_original", "sex", "nationality", "description")}),
        (
            "Birth",
            {"fields": (("birth_date", "birth_date_precision"), "age_estimate", "place_of_birth")},
        ),
        ("Status", {"fields": ("legal_status", "status", "identifying_features")}),
        ("Military", {"fields": ("rank", "unit", "depends_on")}),
        ("Risk if returned", {"fields": ("risk_level", "risk_reason")}),
        (
            "Sensitive: health, welfare, family (GC III Art. 17, 70, 122)",
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
        ("Record", {"classes": ("collapse",), "fields": AUDIT_FIELDS}),
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
    list_display = ("person", "facility", "locality", "country", "authority", "started_on", "ended_on")
    list_filter = ("country", "authority")
    list_select_related = ("person", "authority")
    search_fields = ("facility", "locality", "person__display_name")
    autocomplete_fields = ("person", "authority")
    date_hierarchy = "started_on"
