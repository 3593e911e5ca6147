"""Payment permissions for the staff roles (see 0002_role_permissions)."""

from django.db import migrations

from skinspire.core.role_grants import role_grants

ROLE_PERMISSIONS = {
    "Payments staff": ["view_supplierpayment", "add_supplierpayment", "view_paymentallocation"],
    "Payment approver": ["view_supplierpayment", "change_supplierpayment", "view_paymentallocation"],
    "Accountant": ["view_supplierpayment", "view_paymentallocation"],
}


class Migration(migrations.Migration):
    dependencies = [("payouts", "0003_supplier_payments"), ("payouts", "0002_role_permissions")]

    operations = [role_grants("payouts", ROLE_PERMISSIONS)]
