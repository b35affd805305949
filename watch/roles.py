"""What the data managers may see of the watch: failed jobs, every background work, webhooks and their
deliveries, alerts (core.roles makes the groups; this adds watch's part)."""

from __future__ import annotations

DATA_MANAGER_PERMISSIONS = {
    ("watch", "view_jobfailure"),
    ("watch", "view_webhook"),
    ("watch", "add_webhook"),
    ("watch", "change_webhook"),
    ("watch", "delete_webhook"),
    ("watch", "view_webhookdelivery"),
    ("watch", "view_alert"),
    ("procrastinate", "view_procrastinatejob"),
    ("core", "view_backgroundwork"),
}


def grant_data_managers(using: str = "default", **kwargs) -> None:
    """A post_migrate receiver: give the data manager group watch's permissions."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from core.roles import DATA_MANAGER

    for label in ("watch", "procrastinate", "core"):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    group = Group.objects.using(using).filter(name=DATA_MANAGER).first()
    if group is None:
        return
    for app_label, codename in DATA_MANAGER_PERMISSIONS:
        permission = (
            Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename).first()
        )
        if permission is not None:
            group.permissions.add(permission)
