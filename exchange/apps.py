from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """What crosses Vigil's boundary: imports and export profiles."""

    name = "exchange"
    verbose_name = "imports and exports"
