from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """What crosses Vigil's boundary: imports and export profiles."""

    name = "exchange"
    verbose_name = _("imports and exports")
