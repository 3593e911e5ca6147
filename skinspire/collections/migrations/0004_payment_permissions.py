"""Payments staff and accountants read patient payments in admin (they are written only by services)."""

from django.db import migrations

from skinspire.core.role_grants import role_grants

ROLE_PERMISSIONS = {role: ["view_patientpayment"] for role in ["Payments staff", "Accountant"]}


class Migration(migrations.Migration):
    dependencies = [("collections", "0003_patient_payment"), ("core", "0002_roles")]

    operations = [role_grants("collections", ROLE_PERMISSIONS)]
