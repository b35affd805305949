"""The change log: every insert, update and delete of the records the API
serves (and of team memberships and follow-ups, which the notifier reads) is
written to watch_change by one trigger, in the writing transaction, with that
transaction's id. No code path can change a record without it (like history).
"""

from django.db import migrations

TABLES = [
    "people_person",
    "people_personname",
    "people_personidentifier",
    "people_detention",
    "casework_government",
    "casework_case",
    "casework_casemember",
    "casework_casesubject",
    "casework_statedrequest",
    "casework_requestupdate",
    "casework_involvement",
    "casework_positionstatement",
    "casework_intervention",
    "casework_casenote",
    "casework_followup",
    "events_source",
    "events_event",
    "events_citation",
]

FUNCTION = r"""
CREATE OR REPLACE FUNCTION watch_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
    ctx jsonb;
    case_ref bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
    BEGIN
        ctx := NULLIF(current_setting('pghistory.context_metadata', true), '')::jsonb;
    EXCEPTION WHEN others THEN
        ctx := NULL;
    END;
    IF TG_TABLE_NAME = 'casework_case' THEN
        case_ref := (r->>'id')::bigint;
    ELSIF r ? 'case_id' THEN
        case_ref := (r->>'case_id')::bigint;
    ELSIF TG_TABLE_NAME = 'casework_requestupdate' THEN
        SELECT case_id INTO case_ref FROM casework_statedrequest WHERE id = (r->>'request_id')::bigint;
    ELSIF TG_TABLE_NAME = 'casework_positionstatement' THEN
        SELECT case_id INTO case_ref FROM casework_involvement WHERE id = (r->>'involvement_id')::bigint;
    END IF;
    INSERT INTO watch_change ("table", object_id, op, case_id, user_id, actor_id, at)
    VALUES (
        TG_TABLE_NAME,
        (r->>'id')::bigint,
        left(TG_OP, 1),
        case_ref,
        COALESCE((r->>'user_id')::bigint, (r->>'assignee_id')::bigint),
        CASE WHEN ctx->>'user' ~ '^[0-9]+$' THEN (ctx->>'user')::bigint END,
        clock_timestamp()
    );
    RETURN NULL;
END;
$$;
"""


# At commit (a deferred trigger), each change gets its number from a sequence
# under a transaction-level advisory lock, held until the commit has ended:
# transactions take their numbers one after the other, in the order they
# commit, so a reader that has seen N never later finds a change below N.
SEQUENCE = r"""
CREATE SEQUENCE watch_change_seq;
CREATE OR REPLACE FUNCTION watch_number_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7361029384756);
    UPDATE watch_change SET seq = nextval('watch_change_seq') WHERE id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER watch_number_change AFTER INSERT ON watch_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION watch_number_change();
"""


def forwards_sql() -> list[str]:
    return [FUNCTION, SEQUENCE] + [
        f"CREATE TRIGGER watch_record_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION watch_record_change();"
        for table in TABLES
    ]


def backwards_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS watch_record_change ON {table};" for table in TABLES] + [
        "DROP FUNCTION IF EXISTS watch_record_change();",
        "DROP TRIGGER IF EXISTS watch_number_change ON watch_change;",
        "DROP FUNCTION IF EXISTS watch_number_change();",
        "DROP SEQUENCE IF EXISTS watch_change_seq;",
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("watch", "0001_initial"),
        ("people", "0005_person_keyset_indexes"),
        ("casework", "0011_position_conditional_index"),
        ("events", "0007_event_newest_index"),
    ]

    operations = [migrations.RunSQL(forwards_sql(), backwards_sql())]
