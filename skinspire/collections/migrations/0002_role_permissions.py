"""What each role may do with collections in admin.

Payments staff keep patients and bills (the billing system's account holds this role too);
accountants read everything. Approvers and gateway admins have no part in collections.
"""

from django.db import migrations

from skinspire.core.role_grants import role_grants

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


class Migration(migrations.Migration):
    dependencies = [
        ("collections", "0001_patients_bills"),
        ("core", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [role_grants("collections", ROLE_PERMISSIONS)]
