"""The admin's index, shaped like the work: what advocates use every day first,
the records that make up a case next, and the system's own records (sign-in
attempts, devices, logs, jobs, webhooks) apart, with no two entries of the same name.

A model not listed here finds its place by its app: one of Vigil's domain apps
puts it with the records of cases, any other app with the system records. Which
page a model's admin shows, and who may open it, is unchanged: this only orders
the index and the navigation sidebar.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

#: The daily work, in this order.
DAILY_WORK = (
    "casework.Case",
    "people.Person",
    "casework.Government",
    "events.Source",
    "events.Event",
    "casework.StatedRequest",
    "casework.Intervention",
    "casework.FollowUp",
    "casework.CaseNote",
    "watch.Alert",
)

#: Records kept by and for the system, even in a domain app (logs, jobs, deliveries).
SYSTEM = (
    "casework.CaseView",
    "casework.ExportLog",
    "evidence.FileDownload",
    "evidence.VerificationRun",
    "watch.JobFailure",
    "watch.Webhook",
    "watch.WebhookDelivery",
)

#: Index names where two models would otherwise read the same ("events", "governments involved").
INDEX_NAMES = {
    "pghistory.Events": "Change history of every record",
    "events.EventGovernment": "Governments concerned by events",
    "events.EventPerson": "People concerned by events",
    "casework.Involvement": "Governments involved in cases",
}

GROUPS = (
    ("daily", "Casework", "What advocates use every day."),
    ("parts", "Parts of cases", "Records usually edited from their case, person or event."),
    ("system", "System records", "Users, sign-in attempts, devices, logs, jobs and webhooks."),
)


def group_of(label: str, app_label: str) -> str:
    if label in DAILY_WORK:
        return "daily"
    # Domain apps, the watch and the exchange: their other models are parts of a case. (core.roles reads the
    # auth models, so it is imported here, not while the apps load.)
    from core.roles import DATA_MANAGER_APPS, DOMAIN_APPS

    if label in SYSTEM or app_label not in (*DOMAIN_APPS, "watch", *DATA_MANAGER_APPS):
        return "system"
    return "parts"


class VigilAdminSite(admin.AdminSite):
    site_header = "Vigil administration"
    site_title = "Vigil"
    index_title = "Cases, people and sources"

    def get_app_list(self, request, app_label=None):
        """The index and the sidebar in three groups (``GROUPS``); an app's own index
        page (``/admin/<app>/``) is Django's."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        grouped = {key: [] for key, _name, _help in GROUPS}
        for app in self._build_app_dict(request).values():
            for entry in app["models"]:
                label = f"{app['app_label']}.{entry['object_name']}"
                entry["name"] = INDEX_NAMES.get(label, entry["name"])
                entry["label"] = label
                grouped[group_of(label, app["app_label"])].append(entry)
        order = {label: position for position, label in enumerate(DAILY_WORK)}
        apps = []
        for key, name, help_text in GROUPS:
            models = sorted(grouped[key], key=lambda entry: (order.get(entry["label"], len(order)), entry["name"]))
            if models:
                apps.append(
                    {
                        "name": name,
                        "app_label": key,
                        "app_url": "",
                        "has_module_perms": True,
                        "models": models,
                        "help": help_text,
                    }
                )
        return apps


class VigilAdminConfig(AdminConfig):
    """``django.contrib.admin`` with Vigil's site as ``admin.site`` (settings.INSTALLED_APPS)."""

    default_site = "core.admin_site.VigilAdminSite"
