"""Payouts permissions for the staff roles (core's roles migration predates this app).

Payments staff keep suppliers, accounts and invoices; Payment approvers read them and
approve changed account details (change permission on accounts, for the admin action);
Accountants read everything; Gateway admins set each hospital's payout policy.
"""

from django.db import migrations

from skinspire.core.role_grants import role_grants

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


class Migration(migrations.Migration):
    dependencies = [
        ("payouts", "0001_suppliers"),
        ("core", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [role_grants("payouts", ROLE_PERMISSIONS)]
