"""``people_search_refresh`` in PL/pgSQL: its plan kept for the session instead of made again
at every person or name written (some 15 ms each, the most of an import's insert)."""

from django.db import migrations

# As 0010_person_search's KEYS_OF: one person's keys, their own and every name's, distinct and sorted.
KEYS_OF = """
    ARRAY(
        SELECT DISTINCT k FROM (
            SELECT unnest(p.name_keys) AS k
            UNION ALL
            SELECT unnest(n.name_keys) FROM people_personname n WHERE n.person_id = p.id
        ) AS every_key ORDER BY k
    )::varchar(200)[]
"""
SQL = f"""
CREATE OR REPLACE FUNCTION people_search_refresh(wanted bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO people_personsearch (person_id, display_name, keys)
    SELECT p.id, p.display_name, {KEYS_OF} FROM people_person p WHERE p.id = wanted
    ON CONFLICT (person_id) DO UPDATE SET display_name = EXCLUDED.display_name, keys = EXCLUDED.keys;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("people", "0012_verbose_names")]

    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
