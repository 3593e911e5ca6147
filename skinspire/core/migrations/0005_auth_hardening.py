"""Drop DRF's authtoken table: it held every API token in clear and nothing reads it now.

API tokens are knox's (hashed, expiring). rest_framework.authtoken is no longer installed,
so its own migrations cannot remove the table; a database created before this change still
has it, with live tokens in it. Holders of those tokens ask for a new one.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0004_transition_history")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop)
    ]
