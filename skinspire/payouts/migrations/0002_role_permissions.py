"""Payouts permissions for the staff roles (core's roles migration predates this app).

Payments staff keep suppliers, accounts and invoices; Payment approvers read them and
approve changed account details (change permission on accounts, for the admin action);
Accountants read everything; Gateway admins set each hospital's payout policy.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Payments staff": [
        "view_supplier",
        "add_supplier",
        "change_supplier",
        "view_supplieraccount",
        "add_supplieraccount",
        "view_supplierinvoice",
        "add_supplierinvoice",
        "change_supplierinvoice",
        "view_payoutpolicy",
    ],
    "Payment approver": [
        "view_supplier",
        "view_supplieraccount",
        "change_supplieraccount",
        "view_supplierinvoice",
        "view_payoutpolicy",
    ],
    "Accountant": ["view_supplier", "view_supplieraccount", "view_supplierinvoice", "view_payoutpolicy"],
    "Gateway admin": ["view_payoutpolicy", "add_payoutpolicy", "change_payoutpolicy"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("payouts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="payouts", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="payouts", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("payouts", "0001_suppliers"),
        ("core", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
