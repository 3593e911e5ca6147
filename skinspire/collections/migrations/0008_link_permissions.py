"""Payments staff and accountants read payment links in admin (written only by services)."""

from django.db import migrations

from skinspire.core.role_grants import role_grants

ROLE_PERMISSIONS = {role: ["view_paymentlink"] for role in ["Payments staff", "Accountant"]}


class Migration(migrations.Migration):
    dependencies = [("collections", "0007_payment_link"), ("core", "0002_roles")]

    operations = [role_grants("collections", ROLE_PERMISSIONS)]
