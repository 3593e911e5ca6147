"""Batch permissions for the staff roles (see 0002_role_permissions)."""

from django.db import migrations

from skinspire.core.role_grants import role_grants

ROLE_PERMISSIONS = {
    "Payments staff": ["view_payoutbatch", "add_payoutbatch"],
    "Payment approver": ["view_payoutbatch", "change_payoutbatch"],
    "Accountant": ["view_payoutbatch"],
}


class Migration(migrations.Migration):
    dependencies = [("payouts", "0006_payout_batches")]

    operations = [role_grants("payouts", ROLE_PERMISSIONS)]
