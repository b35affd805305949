from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """Cases, requests and their story, governments and their positions, the team's work."""

    name = "casework"
    verbose_name = "Casework"
