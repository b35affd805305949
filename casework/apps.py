from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """Cases, requests and their story, governments and their positions, the team's work."""

    name = "casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from casework.roles import ensure_roles

        # After every migrate (the permissions exist by then): the role groups.
        post_migrate.connect(ensure_roles, sender=self)
