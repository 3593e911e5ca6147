"""Accountants run reconciliation, read its results and resolve discrepancies (in admin).

Runs are started through the admin's start form (add); items are read-only; discrepancies
change only through the resolve action (change). Matching settings are the accountants'.
"""

from django.db import migrations

from skinspire.core.role_grants import role_grants

ACCOUNTANT_PERMISSIONS = [
    "view_reconciliationrun",
    "add_reconciliationrun",
    "view_reconciliationitem",
    "view_discrepancy",
    "change_discrepancy",
    "view_matchingsettings",
    "add_matchingsettings",
    "change_matchingsettings",
]


class Migration(migrations.Migration):
    dependencies = [
        ("reconciliation", "0001_initial"),
        ("core", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [role_grants("reconciliation", {"Accountant": ACCOUNTANT_PERMISSIONS})]
