"""Accountants run reconciliation, read its results and resolve discrepancies (in admin).

Runs are started through the admin's start form (add); items are read-only; discrepancies
change only through the resolve action (change). Matching settings are the accountants'.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reconciliation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    accountant, _ = Group.objects.get_or_create(name="Accountant")
    accountant.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reconciliation", codename__in=ACCOUNTANT_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for accountant in Group.objects.filter(name="Accountant"):
        accountant.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="reconciliation", codename__in=ACCOUNTANT_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reconciliation", "0001_initial"),
        ("core", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
