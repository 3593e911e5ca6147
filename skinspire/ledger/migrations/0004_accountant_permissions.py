"""Accountants read the whole ledger and keep the chart of accounts (add, rename).

core's roles migration grants ledger view permissions only when the ledger's tables happen
to exist before it runs; this migration makes the grant certain, in either order.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACCOUNTANT_PERMISSIONS = [
    "view_account",
    "add_account",
    "change_account",
    "view_journalentry",
    "view_journalline",
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create ours now.
    app_config = apps.get_app_config("ledger")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    accountant, _ = Group.objects.get_or_create(name="Accountant")
    accountant.permissions.add(
        *Permission.objects.filter(content_type__app_label="ledger", codename__in=ACCOUNTANT_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for accountant in Group.objects.filter(name="Accountant"):
        accountant.permissions.remove(
            *Permission.objects.filter(content_type__app_label="ledger", codename__in=ACCOUNTANT_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_default_chart_of_accounts"),
        ("core", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
