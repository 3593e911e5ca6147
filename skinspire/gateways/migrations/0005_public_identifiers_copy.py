"""Copy the public identifiers out of their encrypted columns (decrypted by the field).

Key id: Razorpay's key id, else Paytm's MID (a configuration holds one provider's values:
a change of provider clears the other's). Merchant id: Paytm's MID; a Razorpay account id
(acc_…) was never stored and cannot be derived, so a gateway admin enters it (until then
the webhook receiver cannot match that configuration's deliveries). Account number: the
RazorpayX account number. Backwards, the values go back into the encrypted columns, which
the field encrypts on save: no secret is ever written in clear either way.
"""

from django.db import migrations


def copy_out(apps, schema_editor):
    GatewayConfiguration = apps.get_model("gateways", "GatewayConfiguration")
    for configuration in GatewayConfiguration.objects.all():
        configuration.key_id = configuration.razorpay_key_id or configuration.paytm_mid
        configuration.merchant_id = configuration.paytm_mid
        configuration.account_number = configuration.razorpayx_account_number
        configuration.save(update_fields=["key_id", "merchant_id", "account_number"])


def copy_back(apps, schema_editor):
    GatewayConfiguration = apps.get_model("gateways", "GatewayConfiguration")
    for configuration in GatewayConfiguration.objects.all():
        is_paytm = configuration.provider == "paytm"  # frozen history: the providers of 2026
        configuration.razorpay_key_id = "" if is_paytm else configuration.key_id
        configuration.paytm_mid = configuration.key_id if is_paytm else ""
        configuration.razorpayx_account_number = configuration.account_number
        configuration.save(update_fields=["razorpay_key_id", "paytm_mid", "razorpayx_account_number"])


class Migration(migrations.Migration):
    dependencies = [("gateways", "0004_public_identifiers")]

    operations = [migrations.RunPython(copy_out, copy_back)]
