"""Gateway admins read the webhook inbox and may reprocess its events."""

from django.db import migrations

GRANTED = {"Gateway admin": ["view_webhookevent", "reprocess_webhookevent"]}


def _permissions(apps, codenames):
    from django.contrib.auth.management import create_permissions

    gateways = apps.get_app_config("gateways")
    gateways.models_module = True
    create_permissions(gateways, apps=apps, verbosity=0)
    gateways.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="gateways", codename__in=codenames)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, codenames in GRANTED.items():
        for group in Group.objects.filter(name=role):
            group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, codenames in GRANTED.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("gateways", "0010_webhook_inbox"),
        ("core", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
