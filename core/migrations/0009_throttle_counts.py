"""The API throttles' counts when there is no Redis (core/api/throttling.py): one row a
caller and scope, written with one INSERT ... ON CONFLICT a request. Created whatever the
cache in use, as the cache's own table is (0001). Unlogged: a crash may forget
the counts, which only lets a caller start a window afresh."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0008_field_labels")]

    operations = [
        migrations.RunSQL(
            "CREATE UNLOGGED TABLE vigil_throttle ("
            " key text PRIMARY KEY,"
            " seconds integer NOT NULL,"
            " slot bigint NOT NULL,"
            " hits integer NOT NULL,"
            " previous integer NOT NULL DEFAULT 0"
            ")",
            "DROP TABLE vigil_throttle",
        )
    ]
