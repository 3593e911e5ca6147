"""Payments staff and accountants read patient payments in admin (they are written only by services)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Payments staff", "Accountant"]
CODENAMES = ["view_patientpayment"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("collections")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="collections", codename__in=CODENAMES)
    for role in ROLES:
        Group.objects.get_or_create(name=role)[0].permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="collections", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("collections", "0003_patient_payment"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
