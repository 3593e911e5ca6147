"""Drop the encrypted copies of the public identifiers (0005 moved them to plain columns)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("gateways", "0005_public_identifiers_copy")]

    operations = [
        migrations.RemoveField(model_name="gatewayconfiguration", name="razorpay_key_id"),
        migrations.RemoveField(model_name="gatewayconfiguration", name="razorpayx_account_number"),
        migrations.RemoveField(model_name="gatewayconfiguration", name="paytm_mid"),
    ]
