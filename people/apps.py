from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """People in detention: names in every script, identifiers, detentions."""

    name = "people"
    verbose_name = "People"
