from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: dates with precision, history context, admin mixins, API tokens."""

    name = "core"
    verbose_name = "Vigil core"

    def ready(self) -> None:
        from core import admin_security, signals

        signals.connect()
        admin_security.register()  # after the admin's autodiscovery, which registered knox's own model
