"""Provider configuration kept by kind, whatever the provider (issue 7, item 1): secrets in
one encrypted JSON (`secrets`), other public settings in plain JSON (`public_settings`);
public identifiers already have their columns (0004). The provider choices come from
settings.GATEWAY_PROVIDERS, so a new provider needs no migration. 0008 moves the values,
0009 drops the per-provider columns.
"""

from django.db import migrations, models

import skinspire.core.fields
import skinspire.gateways.providers.schemas


class Migration(migrations.Migration):
    dependencies = [("gateways", "0006_remove_encrypted_identifiers")]

    operations = [
        migrations.AddField(
            model_name="gatewayconfiguration",
            name="public_settings",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="gatewayconfiguration",
            name="secrets",
            field=skinspire.core.fields.SecretJSONField(blank=True, default=dict, max_length=10000),
        ),
        migrations.AlterField(
            model_name="gatewayconfiguration",
            name="provider",
            field=models.CharField(
                choices=skinspire.gateways.providers.schemas.provider_choices, max_length=20
            ),
        ),
        migrations.AlterField(
            model_name="gatewaytransactionlog",
            name="provider",
            field=models.CharField(
                choices=skinspire.gateways.providers.schemas.provider_choices, max_length=20
            ),
        ),
    ]
