"""Recounts a bulk write may defer to the end of its chunk (casework/counting_sql.py ``DEFERRING``):
the change triggers note whom a write concerns while ``vigil.deferring_counts`` is on."""

from django.db import migrations

from casework.counting_sql import CHANGE_FUNCTIONS, DEFERRING, RECOUNTS


class Migration(migrations.Migration):
    dependencies = [("casework", "0023_exportlog_profile_help")]

    operations = [migrations.RunSQL(f"{RECOUNTS}\n{DEFERRING}\n{CHANGE_FUNCTIONS}", migrations.RunSQL.noop)]
