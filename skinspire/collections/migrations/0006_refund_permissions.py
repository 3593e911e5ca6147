"""Payments staff and accountants read patient refunds in admin (written only by services)."""

from django.db import migrations

from skinspire.core.role_grants import role_grants

ROLE_PERMISSIONS = {role: ["view_patientrefund"] for role in ["Payments staff", "Accountant"]}


class Migration(migrations.Migration):
    dependencies = [("collections", "0005_patient_refund"), ("core", "0002_roles")]

    operations = [role_grants("collections", ROLE_PERMISSIONS)]
