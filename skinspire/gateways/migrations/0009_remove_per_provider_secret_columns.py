"""Drop the per-provider encrypted columns (0008 moved their values)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("gateways", "0008_configuration_values_copy")]

    operations = [
        migrations.RemoveField(model_name="gatewayconfiguration", name=name)
        for name in (
            "razorpay_key_secret",
            "razorpay_webhook_secret",
            "paytm_merchant_key",
            "paytm_subwallet_guid",
            "paytm_website",
            "paytm_client_id",
        )
    ]
