from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Sources, events and citations: the sourced timeline of a case."""

    name = "events"
    verbose_name = "Timeline and sources"
