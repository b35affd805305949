"""Name search from one indexed array per person (people.PersonSearch), kept by triggers;
and the keys of Cyrillic names recomputed for their Korean (Kontsevich) reading."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
from django.db import migrations, models

CYRILLIC = r"[А-яЁё]"


def refresh_cyrillic_keys(apps, schema_editor):
    """Names with Cyrillic letters gained the keys of their Korean reading (people/names.py)."""
    from people.names import name_keys

    Person = apps.get_model("people", "Person")
    PersonName = apps.get_model("people", "PersonName")
    cyrillic = models.Q(display_name__regex=CYRILLIC) | models.Q(name_original__regex=CYRILLIC)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        batch = []
        for pk, display, original, keys in Person.objects.filter(cyrillic).values_list(
            "pk", "display_name", "name_original", "name_keys"
        ).iterator(chunk_size=5000):
            new = name_keys(display, original)
            if new != keys:
                batch.append((new, pk))
        cursor.executemany("UPDATE people_person SET name_keys = %s WHERE id = %s", batch)
        batch = []
        for pk, name, keys in PersonName.objects.filter(name__regex=CYRILLIC).values_list(
            "pk", "name", "name_keys"
        ).iterator(chunk_size=5000):
            new = name_keys(name)
            if new != keys:
                batch.append((new, pk))
            if len(batch) >= 5000:
                cursor.executemany("UPDATE people_personname SET name_keys = %s WHERE id = %s", batch)
                batch = []
        cursor.executemany("UPDATE people_personname SET name_keys = %s WHERE id = %s", batch)


# One person's keys: their own and every name's, distinct and sorted.
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
CREATE FUNCTION people_search_refresh(wanted bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO people_personsearch (person_id, display_name, keys)
    SELECT p.id, p.display_name, {KEYS_OF} FROM people_person p WHERE p.id = wanted
    ON CONFLICT (person_id) DO UPDATE SET display_name = EXCLUDED.display_name, keys = EXCLUDED.keys;
$$;

-- Every person at once: after a bulk load with triggers off (generate_data), and below.
CREATE FUNCTION people_search_refresh_all() RETURNS void LANGUAGE sql AS $$
    DELETE FROM people_personsearch s WHERE NOT EXISTS (SELECT 1 FROM people_person p WHERE p.id = s.person_id);
    INSERT INTO people_personsearch (person_id, display_name, keys)
    SELECT p.id, p.display_name, {KEYS_OF} FROM people_person p
    ON CONFLICT (person_id) DO UPDATE SET display_name = EXCLUDED.display_name, keys = EXCLUDED.keys
    WHERE (people_personsearch.display_name, people_personsearch.keys) IS DISTINCT FROM (EXCLUDED.display_name, EXCLUDED.keys);
$$;

CREATE FUNCTION people_search_person_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM people_personsearch WHERE person_id = OLD.id;
    ELSE
        PERFORM people_search_refresh(NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION people_search_name_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM people_search_refresh(OLD.person_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.person_id <> OLD.person_id) THEN
        PERFORM people_search_refresh(NEW.person_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER people_search_person_insert AFTER INSERT OR DELETE ON people_person
    FOR EACH ROW EXECUTE FUNCTION people_search_person_changed();
CREATE TRIGGER people_search_person_update AFTER UPDATE ON people_person FOR EACH ROW
    WHEN (OLD.name_keys IS DISTINCT FROM NEW.name_keys OR OLD.display_name IS DISTINCT FROM NEW.display_name)
    EXECUTE FUNCTION people_search_person_changed();
CREATE TRIGGER people_search_name_insert AFTER INSERT OR DELETE ON people_personname
    FOR EACH ROW EXECUTE FUNCTION people_search_name_changed();
CREATE TRIGGER people_search_name_update AFTER UPDATE ON people_personname FOR EACH ROW
    WHEN (OLD.name_keys IS DISTINCT FROM NEW.name_keys OR OLD.person_id <> NEW.person_id)
    EXECUTE FUNCTION people_search_name_changed();

SELECT people_search_refresh_all();
ANALYZE people_personsearch;
"""

REVERSE = """
DROP TRIGGER people_search_person_insert ON people_person;
DROP TRIGGER people_search_person_update ON people_person;
DROP TRIGGER people_search_name_insert ON people_personname;
DROP TRIGGER people_search_name_update ON people_personname;
DROP FUNCTION people_search_person_changed();
DROP FUNCTION people_search_name_changed();
DROP FUNCTION people_search_refresh_all();
DROP FUNCTION people_search_refresh(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_remove_person_insert_insert_and_more"),
    ]

    operations = [
        migrations.RunPython(refresh_cyrillic_keys, migrations.RunPython.noop),
        migrations.CreateModel(
            name="PersonSearch",
            fields=[
                (
                    "person",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="people.person",
                    ),
                ),
                ("display_name", models.CharField(max_length=200)),
                (
                    "keys",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=200), default=list, size=None
                    ),
                ),
            ],
            options={
                "verbose_name": "name search keys",
                "verbose_name_plural": "name search keys",
                "indexes": [django.contrib.postgres.indexes.GinIndex(fields=["keys"], name="personsearch_keys_gin")],
            },
        ),
        migrations.RunSQL(SQL, REVERSE),
    ]
