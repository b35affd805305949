"""Roles: the groups a user is put in, and the permissions each carries.

    viewer        reads the cases they can see
    editor        also records and edits (requests, events, positions, notes, people...)
    case lead     also manages the team and confidentiality of the cases they lead
    data manager  sees every case and sensitive details, manages every team, restores
                  from the bin and purges it, exports, extends the vocabularies (legal bases)

Which cases a user sees is casework.access's rule; these groups decide what
they may do there. ``ensure_roles()`` runs after every ``migrate``, so the
groups and their permissions are always as written here.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

#: Apps holding case data: roles grant their models model by model (defined here only; tests and the admin
#: index read it).
DOMAIN_APPS = ("people", "casework", "events", "evidence")
#: Apps whose permissions only data managers hold (imports: exchange/).
DATA_MANAGER_APPS = ("exchange",)
TEAM_MODELS = {"casemember"}
# vocabularies every role reads and only data managers extend
VOCABULARY_MODELS = {"legalbasis"}
# who saw and exported what, duplicate review and merges: data managers only
DATA_MANAGER_MODELS = {"caseview", "exportlog", "filedownload", "verificationrun", "duplicatepair", "personmerge"}
SPECIAL = {
    "view_all_cases",
    "view_sensitive",
    "manage_team",
    "restore_from_bin",
    "purge_from_bin",
    "export_cases",
    "report_custody",
    "review_duplicates",
}

VIEWER, EDITOR, CASE_LEAD, DATA_MANAGER = "viewer", "editor", "case lead", "data manager"


def _domain_permissions(apps=DOMAIN_APPS):
    return Permission.objects.filter(content_type__app_label__in=apps).select_related("content_type")


def role_permissions() -> dict[str, set[str]]:
    """Each role's permissions as "app_label.codename"."""
    everything = {f"{p.content_type.app_label}.{p.codename}": p for p in _domain_permissions()}
    views = {
        name
        for name, p in everything.items()
        if p.codename.startswith("view_")
        and p.codename not in SPECIAL
        and p.content_type.model not in DATA_MANAGER_MODELS
    }
    edits = {
        name
        for name, p in everything.items()
        if p.codename.split("_", 1)[0] in {"add", "change", "delete"}
        and p.content_type.model not in TEAM_MODELS | DATA_MANAGER_MODELS | VOCABULARY_MODELS
        and p.codename not in SPECIAL
    }
    team = {name for name, p in everything.items() if p.content_type.model in TEAM_MODELS}
    data_manager_only = {f"{p.content_type.app_label}.{p.codename}" for p in _domain_permissions(DATA_MANAGER_APPS)}
    return {
        VIEWER: views,
        EDITOR: views | edits,
        CASE_LEAD: views | edits | team | {"casework.manage_team", "people.view_sensitive", "evidence.report_custody"},
        DATA_MANAGER: set(everything) | data_manager_only,
    }


def ensure_roles(using: str = "default", **kwargs) -> None:
    """Create or correct the role groups (a post_migrate receiver).

    post_migrate runs app by app: when it reaches casework, a later app's
    permissions (events) may not exist yet on a new database, so they are made
    here first.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for label in (*DOMAIN_APPS, *DATA_MANAGER_APPS):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p for p in _domain_permissions((*DOMAIN_APPS, *DATA_MANAGER_APPS))
    }
    for role, names in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([by_name[name] for name in names])
