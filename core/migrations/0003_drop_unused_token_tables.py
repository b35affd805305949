"""django-rest-knox's migrations create its own token table even when
KNOX_TOKEN_MODEL names another model (Vigil's is core.ApiToken): the table
stays empty, and its foreign key to the users stops test databases from being
flushed. It is dropped. (DRF's plain-text authtoken table went in 0002.)"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_api_tokens"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS knox_authtoken", migrations.RunSQL.noop)]
