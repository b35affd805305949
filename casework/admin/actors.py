"""Admin for governments, actors (organisations and people), legal bases and legal arguments."""

from django import forms
from django.contrib import admin

from casework.models import (
    Actor,
    Government,
    LegalArgument,
    LegalBasis,
)
from core.admin import VigilAdmin, VigilTabularInline
from people.admin import NameSearchAdmin


@admin.register(Government)
class GovernmentAdmin(VigilAdmin):
    list_display = ("name", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("name", "country")


@admin.register(Actor)
class ActorAdmin(NameSearchAdmin):
    """Organisations and people other than governments, found by any name or spelling.
    No list of the events or sources they appear in: those belong to their cases."""

    list_display = ("name", "name_original", "kind", "role", "organisation", "government", "country")
    list_filter = ("kind",)
    list_select_related = ("organisation", "government")
    search_fields = ("name",)  # widened to every name and spelling by get_search_results
    autocomplete_fields = ("organisation", "government")


@admin.register(LegalBasis)
class LegalBasisAdmin(VigilAdmin):
    """The vocabulary of legal bases; data managers extend it."""

    list_display = ("name", "instrument")
    search_fields = ("name", "instrument", "summary")


class LegalArgumentFormSet(forms.BaseInlineFormSet):
    """An argument belongs to the case of the request or intervention it is made for."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.instance.case_id = self.instance.case_id


class LegalArgumentInline(VigilTabularInline):
    model = LegalArgument
    formset = LegalArgumentFormSet
    fields = ("basis", "argument", "argued_by", "source")
    autocomplete_fields = ("basis", "argued_by", "source")
    verbose_name_plural = "legal arguments (each with its legal basis)"


class RequestLegalArgumentInline(LegalArgumentInline):
    fk_name = "request"


class InterventionLegalArgumentInline(LegalArgumentInline):
    fk_name = "intervention"


@admin.register(LegalArgument)
class LegalArgumentAdmin(VigilAdmin):
    list_display = ("basis", "argument", "argued_by", "request", "intervention", "case")
    list_filter = ("basis",)
    list_select_related = (
        "basis",
        "argued_by",
        "request__person",
        "intervention__government",
        "intervention__addressed_to_actor",
        "case",
    )
    search_fields = ("argument", "basis__name", "case__reference")
    autocomplete_fields = ("case", "basis", "request", "intervention", "argued_by", "source")
