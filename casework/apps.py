from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """Cases, requests and their story, governments and their positions, the team's work."""

    name = "casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from casework.access import case_visibility, person_visibility
        from core.access import visibility_register
        from core.roles import ensure_roles

        # Who sees a case, and a person (who is seen through their cases): people/ applies it by name.
        visibility_register("case", case_visibility)
        visibility_register("person", person_visibility)

        # After every migrate (the permissions exist by then): the role groups.
        post_migrate.connect(ensure_roles, sender=self)
