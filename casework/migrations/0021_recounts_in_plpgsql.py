"""The recount functions in PL/pgSQL (casework/counting_sql.py ``RECOUNTS``): plans kept, not made at each write."""

from django.db import migrations

from casework.counting_sql import RECOUNTS


class Migration(migrations.Migration):
    dependencies = [("casework", "0020_verbose_names")]

    operations = [migrations.RunSQL(RECOUNTS, migrations.RunSQL.noop)]
