from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "watch"
    verbose_name = _("Watch: follows, notifications, alerts, change feed and webhooks")

    def ready(self):
        from watch.roles import grant_data_managers

        # After casework's ensure_roles (watch comes later in INSTALLED_APPS), which resets the groups.
        post_migrate.connect(grant_data_managers, sender=self, dispatch_uid="watch-grant-data-managers")
