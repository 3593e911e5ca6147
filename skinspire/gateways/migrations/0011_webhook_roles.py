"""Gateway admins read the webhook inbox and may reprocess its events."""

from django.db import migrations

from skinspire.core.role_grants import role_grants

GRANTED = {"Gateway admin": ["view_webhookevent", "reprocess_webhookevent"]}


class Migration(migrations.Migration):
    dependencies = [
        ("gateways", "0010_webhook_inbox"),
        ("core", "0002_roles"),
    ]

    operations = [role_grants("gateways", GRANTED)]
