from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: dates with precision, history context, admin mixins."""

    name = "core"
    verbose_name = "Vigil core"
