"""Reconciliation's Celery tasks: the daily run (scheduled in schedules.py) and one run."""

from datetime import date
from functools import partial

from celery import shared_task
from django.db import transaction

from skinspire.reconciliation.services.daily import (
    reconciliation_daily_configurations,
    reconciliation_scheduled_run,
)


@shared_task
def reconciliation_daily(on: str = "") -> list[int]:
    """Yesterday's (or `on`'s, YYYY-MM-DD) reconciliation for every active configuration, one
    task each, so one gateway's trouble never holds up another's run."""
    day = date.fromisoformat(on) if on else None
    configuration_ids, run_date = reconciliation_daily_configurations(on=day)
    for configuration_id in configuration_ids:
        transaction.on_commit(
            partial(
                reconciliation_run.delay, configuration_id=configuration_id, run_date=run_date.isoformat()
            )
        )
    return configuration_ids


@shared_task
def reconciliation_run(*, configuration_id: int, run_date: str) -> int | None:
    run = reconciliation_scheduled_run(
        configuration_id=configuration_id, run_date=date.fromisoformat(run_date)
    )
    return run.pk if run else None
