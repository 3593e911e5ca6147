"""Granting this app's permissions to role groups, for the permission migrations."""

from django.contrib.auth.management import create_permissions


def granter(role_permissions: dict[str, list[str]]):
    def grant(apps, schema_editor):
        app_config = apps.get_app_config("payouts")
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for role, codenames in role_permissions.items():
            group, _ = Group.objects.get_or_create(name=role)
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="payouts", codename__in=codenames)
            )

    return grant


def revoker(role_permissions: dict[str, list[str]]):
    def revoke(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for role, codenames in role_permissions.items():
            for group in Group.objects.filter(name=role):
                group.permissions.remove(
                    *Permission.objects.filter(content_type__app_label="payouts", codename__in=codenames)
                )

    return revoke
