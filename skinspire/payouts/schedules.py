"""The payouts app's periodic tasks (skinspire.core.schedules)."""

from skinspire.core.schedules import PeriodicTaskDefinition

PERIODIC_TASKS: list[PeriodicTaskDefinition] = [
    {
        "name": "payouts: resolve payouts stuck submitted or unknown",
        "task": "skinspire.payouts.tasks.supplier_payments_resolve_stale_task",
        "every_seconds": 300,
    },
]
