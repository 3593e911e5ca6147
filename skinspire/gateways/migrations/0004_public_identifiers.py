"""Public identifiers in plain, indexed columns (issue 7, item 1).

A Razorpay key id, the merchant's account id, a RazorpayX account number and a Paytm MID
are not secrets: the key id is in every checkout page, the account id and the MID in every
webhook. The webhook receiver finds the configuration a delivery belongs to by them, which
it cannot do through Fernet ciphertext (every encryption of a value differs). 0005 copies
the values out of the encrypted columns, 0006 drops those.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("gateways", "0003_secret_visibility_roles")]

    operations = [
        migrations.AddField(
            model_name="gatewayconfiguration",
            name="key_id",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="Razorpay: the API key id. Paytm: the MID.",
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="gatewayconfiguration",
            name="merchant_id",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text=(
                    "How the gateway's webhooks name this merchant. Razorpay: the account id (acc_…) "
                    "shown in the dashboard and in every webhook; Paytm: the MID."
                ),
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="gatewayconfiguration",
            name="account_number",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="RazorpayX: the account number payouts are made from.",
                max_length=50,
            ),
        ),
    ]
