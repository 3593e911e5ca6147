"""The gateways app's periodic tasks (created by `manage.py setup_periodic_tasks`)."""

from skinspire.core.schedules import PeriodicTaskDefinition

PERIODIC_TASKS: list[PeriodicTaskDefinition] = [
    {
        # Objects still pending after GATEWAY_STATUS_SYNC_AFTER_SECONDS: ask the gateway and
        # apply its answer through the webhook handlers, so a dropped webhook still lands.
        "name": "gateways: status sync for lost webhooks",
        "task": "skinspire.gateways.webhooks.tasks.webhook_status_sync",
        "every_seconds": 300,
    },
    {
        # The inbox relay's safety net: rows a lost nudge or batch message left behind.
        "name": "gateways: webhook relay sweep",
        "task": "skinspire.gateways.webhooks.tasks.webhook_relay_sweep",
        "every_seconds": 30,
    },
]
