"""Granting an app's model permissions to the role groups, for permission migrations.

Permissions are normally created by post_migrate, after every migration has run, so the
grant creates the app's own first. The codenames are given by each migration (not read
from the code) so a migration stays what it was when it ran.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def role_grants(app_label: str, role_permissions: dict[str, list[str]]) -> migrations.RunPython:
    """A reversible migration operation: grant `role_permissions` (role → codenames of
    `app_label`'s models), revoke them when migrated backwards."""

    def permissions(apps, codenames: list[str]):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def grant(apps, schema_editor):
        app_config = apps.get_app_config(app_label)
        # create_permissions skips app configs without a models module, as historical ones are.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        for role, codenames in role_permissions.items():
            Group.objects.get_or_create(name=role)[0].permissions.add(*permissions(apps, codenames))

    def revoke(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        for role, codenames in role_permissions.items():
            for group in Group.objects.filter(name=role):
                group.permissions.remove(*permissions(apps, codenames))

    return migrations.RunPython(grant, revoke)
