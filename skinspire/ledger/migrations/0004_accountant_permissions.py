"""Accountants read the whole ledger and keep the chart of accounts (add, rename).

core's roles migration grants ledger view permissions only when the ledger's tables happen
to exist before it runs; this migration makes the grant certain, in either order.
"""

from django.db import migrations

from skinspire.core.role_grants import role_grants

ACCOUNTANT_PERMISSIONS = [
    "view_account",
    "add_account",
    "change_account",
    "view_journalentry",
    "view_journalline",
]


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_default_chart_of_accounts"),
        ("core", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [role_grants("ledger", {"Accountant": ACCOUNTANT_PERMISSIONS})]
