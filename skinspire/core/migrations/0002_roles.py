"""The four staff roles as groups with model permissions.

Permissions are normally created by a post_migrate signal, i.e. after every migration has
run, so this migration creates them itself first. Role permissions are listed here (not
imported) so the migration stays what it was when it ran. Apps built later (payouts,
reconciliation) grant their own permissions to these groups in their own migrations; the
ledger's are granted here when the ledger's models already exist, and skipped otherwise.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Gateway admin": [
        ("core", "view_hospital"),
        ("core", "view_branch"),
        ("gateways", "add_gatewayconfiguration"),
        ("gateways", "change_gatewayconfiguration"),
        ("gateways", "view_gatewayconfiguration"),
        ("gateways", "view_gatewaytransactionlog"),
    ],
    "Payments staff": [
        ("core", "view_hospital"),
        ("core", "view_branch"),
        ("gateways", "view_gatewayconfiguration"),
    ],
    "Payment approver": [
        ("core", "view_hospital"),
        ("core", "view_branch"),
        ("gateways", "view_gatewayconfiguration"),
    ],
    "Accountant": [
        ("core", "view_hospital"),
        ("core", "view_branch"),
        ("gateways", "view_gatewaytransactionlog"),
    ],
}
# Accountants read every ledger model, whichever exist when this runs.
ACCOUNTANT_APP_VIEW_PERMISSIONS = ["ledger"]


def create_all_permissions(apps):
    for app_config in apps.get_app_configs():
        # create_permissions skips app configs without a models module, and historical
        # app configs never have one.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    accountant = Group.objects.get(name="Accountant")
    accountant.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=ACCOUNTANT_APP_VIEW_PERMISSIONS, codename__startswith="view_"
        )
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("gateways", "0002_transaction_log"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
