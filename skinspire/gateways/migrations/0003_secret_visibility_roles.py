"""Payment approvers no longer see gateway configurations.

Who sees a configuration, and what of it (docs/security.md, "Gateway secrets and base
URLs"): Gateway admins edit configurations (credentials write-only, masked); Payments
staff view them read-only, without credentials or endpoints, because they choose the
gateway a payout goes through; Payment approvers approve a payment that already names its
gateway, so they need no view of configurations at all; Accountants never had one.
"""

from django.db import migrations

REVOKED = {"Payment approver": ["view_gatewayconfiguration"]}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="gateways", codename__in=codenames)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, codenames in REVOKED.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(*_permissions(apps, codenames))


def grant_again(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, codenames in REVOKED.items():
        for group in Group.objects.filter(name=role):
            group.permissions.add(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("gateways", "0002_transaction_log"),
        ("core", "0002_roles"),
    ]

    operations = [migrations.RunPython(revoke, grant_again)]
