"""A webhook inbox event's status moves only along its table, enforced by the database and
not only by skinspire.core.transitions and the inbox's batch writer (webhooks/outcomes.py).

Only the moves: an event is inserted received or rejected (a bad signature), and deletes
are left to the application (nothing deletes events today). The moves are `WebhookEvent.state_machine` as it was
when this migration was written, carried as literals; gateways/tests/test_webhook_status_moves.py
fails when the table and these literals differ. SQL built by skinspire.core.database_money_rules.
"""

from django.db import migrations

from skinspire.core.database_money_rules import install, status_rules

RULES = (
    status_rules(
        "gateways_webhookevent",
        "gateways: webhook event",
        states=("received", "ignored", "failed", "processed", "rejected"),
        moves=(
            ("failed", "processed"),
            ("ignored", "failed"),
            ("ignored", "processed"),
            ("received", "failed"),
            ("received", "ignored"),
            ("received", "processed"),
        ),
    ),
)

FORWARDS, BACKWARDS = install(RULES, app="gateways", migration="gateways migration 0013")


class Migration(migrations.Migration):
    dependencies = [("gateways", "0012_configuration_keeps_its_hospital")]

    operations = [migrations.RunPython(FORWARDS, BACKWARDS)]
