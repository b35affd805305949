from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Sources, events and citations: the sourced timeline of a case."""

    name = "events"
    verbose_name = _("Timeline and sources")
