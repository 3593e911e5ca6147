"""Move each provider's encrypted columns into the one encrypted `secrets` JSON.

Read through the old encrypted fields (decrypted in memory only) and written through the
new one, which encrypts the whole JSON: no secret is ever written in clear. The Paytm
website name ("WEBSTAGING", "DEFAULT") is a public setting and goes to `public_settings`.
Backwards, every value goes back to its encrypted column.
"""

from django.db import migrations

# Frozen history: the old column of each schema field, per provider, in 2026.
SECRET_COLUMNS = {
    "razorpay": {"key_secret": "razorpay_key_secret", "webhook_secret": "razorpay_webhook_secret"},
    "paytm": {
        "merchant_key": "paytm_merchant_key",
        "subwallet_guid": "paytm_subwallet_guid",
        "client_id": "paytm_client_id",
    },
}
PUBLIC_COLUMNS = {"paytm": {"website": "paytm_website"}}
OLD_COLUMNS = [
    column for columns in (*SECRET_COLUMNS.values(), *PUBLIC_COLUMNS.values()) for column in columns.values()
]


def move_in(apps, schema_editor):
    GatewayConfiguration = apps.get_model("gateways", "GatewayConfiguration")
    for configuration in GatewayConfiguration.objects.all():
        secrets = SECRET_COLUMNS.get(configuration.provider, {})
        public = PUBLIC_COLUMNS.get(configuration.provider, {})
        configuration.secrets = {
            name: getattr(configuration, column)
            for name, column in secrets.items()
            if getattr(configuration, column)
        }
        configuration.public_settings = {
            name: getattr(configuration, column)
            for name, column in public.items()
            if getattr(configuration, column)
        }
        configuration.save(update_fields=["secrets", "public_settings"])


def move_back(apps, schema_editor):
    GatewayConfiguration = apps.get_model("gateways", "GatewayConfiguration")
    for configuration in GatewayConfiguration.objects.all():
        stored = {**(configuration.public_settings or {}), **(configuration.secrets or {})}
        columns = {
            **SECRET_COLUMNS.get(configuration.provider, {}),
            **PUBLIC_COLUMNS.get(configuration.provider, {}),
        }
        for column in OLD_COLUMNS:
            setattr(configuration, column, "")
        for name, column in columns.items():
            setattr(configuration, column, stored.get(name, ""))
        configuration.save(update_fields=OLD_COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("gateways", "0007_configuration_values")]

    operations = [migrations.RunPython(move_in, move_back)]
