"""The access generation: a sequence every change that can take access away moves.

A cached page may keep only what its user could see when it was computed; its
cache key carries this number (casework.access.access_generation), so a change
of a team, a lead, a confidentiality, a case's people, an event's or an
identifier's sensitivity, or a user's roles and permissions makes every cached
overview stale at once. Database triggers, so no code path (admin, API,
dashboard, a queryset update, a command, psql) can forget it.

Each change bumps it twice: at once (what the same transaction reads next) and
again when its transaction commits (a deferred constraint trigger), so a page
computed between the change and its commit is not kept under the new number.
"""

from django.db import migrations

#: (table, event, WHEN condition or "")
CHANGES = [
    ("casework_case", "UPDATE", "OLD.lead_id IS DISTINCT FROM NEW.lead_id OR OLD.confidentiality <> NEW.confidentiality"),
    ("casework_case", "DELETE", ""),
    ("casework_casemember", "UPDATE", ""),
    ("casework_casemember", "DELETE", ""),
    ("casework_casesubject", "INSERT", ""),
    ("casework_casesubject", "UPDATE", ""),
    ("casework_casesubject", "DELETE", ""),
    ("events_event", "UPDATE", "OLD.sensitivity <> NEW.sensitivity OR OLD.kind <> NEW.kind OR OLD.case_id <> NEW.case_id"),
    ("people_personidentifier", "UPDATE", "OLD.kind <> NEW.kind"),
    ("auth_user", "UPDATE", "OLD.is_active <> NEW.is_active OR OLD.is_superuser <> NEW.is_superuser"),
    ("auth_user_groups", "DELETE", ""),
    ("auth_user_groups", "UPDATE", ""),
    ("auth_user_user_permissions", "DELETE", ""),
    ("auth_user_user_permissions", "UPDATE", ""),
    ("auth_group_permissions", "DELETE", ""),
    ("auth_group_permissions", "UPDATE", ""),
]


def _triggers() -> tuple[str, str]:
    create, drop = [], []
    for table, event, condition in CHANGES:
        when = f"WHEN ({condition})" if condition else ""
        for kind, clause in (("now", ""), ("commit", "DEFERRABLE INITIALLY DEFERRED")):
            name = f"vigil_access_{kind}_{event.lower()}"
            constraint = "CONSTRAINT " if clause else ""
            create.append(
                f"CREATE {constraint}TRIGGER {name} AFTER {event} ON {table} {clause} "
                f"FOR EACH ROW {when} EXECUTE FUNCTION vigil_access_changed();"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
    return "\n".join(create), "\n".join(drop)


CREATE, DROP = _triggers()

SQL = f"""
CREATE SEQUENCE vigil_access_generation;
CREATE FUNCTION vigil_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('vigil_access_generation');
    RETURN NULL;
END
$$;
{CREATE}
"""

REVERSE = f"""
{DROP}
DROP FUNCTION vigil_access_changed();
DROP SEQUENCE vigil_access_generation;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0011_position_conditional_index"),
        ("events", "0007_event_newest_index"),
        ("people", "0006_person_created_by"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
