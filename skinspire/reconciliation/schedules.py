"""Reconciliation's periodic tasks, created by `manage.py setup_periodic_tasks` (editable in
admin afterwards): yesterday's settlements for every active configuration, at 02:00 India
time (the command makes every crontab in Asia/Kolkata), after both gateways' T+1 reports;
and every 15 minutes, runs a stopped process left "running" marked failed."""

from skinspire.core.schedules import PeriodicTaskDefinition

PERIODIC_TASKS: list[PeriodicTaskDefinition] = [
    {
        "name": "reconciliation: yesterday's settlements, every active configuration",
        "task": "skinspire.reconciliation.tasks.reconciliation_daily",
        "crontab": {"minute": "0", "hour": "2"},
    },
    {
        "name": "reconciliation: fail runs a stopped process left running",
        "task": "skinspire.reconciliation.tasks.reconciliation_runs_abandoned",
        "every_seconds": 900,
    },
]
