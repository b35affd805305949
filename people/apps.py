from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """People in detention: names in every script, identifiers, detentions."""

    name = "people"
    verbose_name = _("People")
