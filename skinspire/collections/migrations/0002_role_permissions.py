"""What each role may do with collections in admin.

Payments staff keep patients and bills (the billing system's account holds this role too);
accountants read everything. Approvers and gateway admins have no part in collections.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Payments staff": [
        "view_patient",
        "add_patient",
        "change_patient",
        "view_bill",
        "add_bill",
        "change_bill",
    ],
    "Accountant": ["view_patient", "view_bill"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create ours now.
    app_config = apps.get_app_config("collections")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="collections", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="collections", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("collections", "0001_patients_bills"),
        ("core", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
