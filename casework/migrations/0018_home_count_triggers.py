"""The home page's counts kept by triggers (casework/counting_sql.py), filled once from the tables."""

from django.db import migrations

from casework.counting_sql import REVERSE, SQL


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0017_home_counts"),
        ("people", "0011_merge_birth_years_search_region"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
