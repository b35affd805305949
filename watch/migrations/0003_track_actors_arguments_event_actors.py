"""Issue 11's tables in the change log: actors and legal bases (reference data, in no
case), legal arguments (their case's, by their case_id), and the actors present at an
event. An actor present is part of its event (the API shows it in the event's
``actors_present``, it has no resource of its own): its insert, update or delete is
logged as an update of the event, once a transaction, in the event's case, so the
feed, the webhooks and their access rule carry it as the event itself."""

from django.db import migrations

TABLES = ["casework_actor", "casework_legalbasis", "casework_legalargument"]

#: A part table → (the table of the record it is part of, the column naming that record).
PARTS = {"events_eventactor": ("events_event", "event_id")}

PART_FUNCTION = r"""
CREATE OR REPLACE FUNCTION watch_record_part_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
    ctx jsonb;
    parent_table text := TG_ARGV[0];
    parent_id bigint;
    case_ref bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
    parent_id := (r->>TG_ARGV[1])::bigint;
    -- Once a transaction: its changes are numbered only at commit (seq is NULL until then,
    -- and other transactions' unnumbered rows are not visible here).
    IF EXISTS (
        SELECT 1 FROM watch_change WHERE seq IS NULL AND "table" = parent_table AND object_id = parent_id
    ) THEN
        RETURN NULL;
    END IF;
    BEGIN
        ctx := NULLIF(current_setting('pghistory.context_metadata', true), '')::jsonb;
    EXCEPTION WHEN others THEN
        ctx := NULL;
    END;
    EXECUTE format('SELECT case_id FROM %I WHERE id = $1', parent_table) INTO case_ref USING parent_id;
    INSERT INTO watch_change ("table", object_id, op, case_id, user_id, actor_id, at)
    VALUES (
        parent_table,
        parent_id,
        'U',
        case_ref,
        NULL,
        CASE WHEN ctx->>'user' ~ '^[0-9]+$' THEN (ctx->>'user')::bigint END,
        clock_timestamp()
    );
    RETURN NULL;
END;
$$;
"""


def forwards_sql() -> list[str]:
    return (
        [
            f"CREATE TRIGGER watch_record_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION watch_record_change();"
            for table in TABLES
        ]
        + [PART_FUNCTION]
        + [
            f"CREATE TRIGGER watch_record_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION watch_record_part_change('{parent}', '{column}');"
            for table, (parent, column) in PARTS.items()
        ]
    )


def backwards_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS watch_record_change ON {table};" for table in [*TABLES, *PARTS]] + [
        "DROP FUNCTION IF EXISTS watch_record_part_change();"
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("watch", "0002_change_log_trigger"),
        ("casework", "0014_actors_legal_bases_arguments"),
        ("events", "0009_event_actors_observations_source_author"),
    ]

    operations = [migrations.RunSQL(forwards_sql(), backwards_sql())]
