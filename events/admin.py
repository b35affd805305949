"""Admin for the timeline: events with their people, governments and sources; sources; citations."""

from django.contrib import admin

from core.admin import TranslationInline, VigilAdmin, VigilTabularInline
from events.models import Citation, Event, EventActor, EventGovernment, EventPerson, Source


class EventPersonInline(VigilTabularInline):
    model = EventPerson
    fields = ("person",)
    autocomplete_fields = ("person",)
    show_change_link = False


class EventGovernmentInline(VigilTabularInline):
    model = EventGovernment
    fields = ("government",)
    autocomplete_fields = ("government",)
    show_change_link = False


class EventActorInline(VigilTabularInline):
    model = EventActor
    fields = ("actor", "part")
    autocomplete_fields = ("actor",)


class CitationInline(VigilTabularInline):
    model = Citation
    fk_name = "event"
    fields = ("source", "locator", "confidence")
    autocomplete_fields = ("source",)
    verbose_name_plural = "sources supporting this event"


@admin.register(Source)
class SourceAdmin(VigilAdmin):
    list_display = ("title", "kind", "publisher", "published_on", "reliability", "connection", "language")
    list_filter = ("kind", "reliability", "connection", "language")
    search_fields = ("title", "publisher", "url", "notes")
    autocomplete_fields = ("author",)
    date_hierarchy = "published_on"
    inlines = (TranslationInline,)


@admin.register(Event)
class EventAdmin(VigilAdmin):
    list_display = ("title", "occurred_on", "occurred_on_precision", "kind", "sensitivity", "case")
    list_filter = ("kind", "sensitivity", "occurred_on_precision")
    list_select_related = ("case",)
    search_fields = ("title", "description", "place", "case__reference")
    autocomplete_fields = ("case",)
    date_hierarchy = "occurred_on"
    inlines = (EventPersonInline, EventGovernmentInline, EventActorInline, CitationInline, TranslationInline)
    fields = (
        "case",
        ("occurred_on", "occurred_on_precision"),
        "kind",
        "title",
        "description",
        "language",
        ("place", "country"),
        ("interpretation", "interpretation_confidence"),
        "sensitivity",
        "created_at",
        "updated_at",
    )


@admin.register(EventPerson)
class EventPersonAdmin(VigilAdmin):
    list_display = ("person", "event")
    list_select_related = ("person", "event")
    search_fields = ("person__display_name", "event__title")
    autocomplete_fields = ("event", "person")


@admin.register(EventGovernment)
class EventGovernmentAdmin(VigilAdmin):
    list_display = ("government", "event")
    list_select_related = ("government", "event")
    search_fields = ("government__name", "event__title")
    autocomplete_fields = ("event", "government")


@admin.register(EventActor)
class EventActorAdmin(VigilAdmin):
    list_display = ("actor", "part", "event")
    list_select_related = ("actor", "event")
    search_fields = ("actor__name", "event__title")
    autocomplete_fields = ("event", "actor")


@admin.register(Citation)
class CitationAdmin(VigilAdmin):
    list_display = ("source", "confidence", "event", "request", "request_update", "position")
    list_filter = ("confidence",)
    list_select_related = (
        "source",
        "event",
        "request__person",
        "request_update__request__person",
        "position__involvement__government",
        "position__request",
    )
    search_fields = ("locator", "source__title")
    autocomplete_fields = ("source", "event", "request", "position")
    raw_id_fields = ("request_update",)
