"""Reconciliation's Celery tasks: the daily run (scheduled in schedules.py), one run, its e-mail
report, and the sweep of runs a process left unfinished (scheduled too)."""

from datetime import date
from functools import partial
from smtplib import SMTPException

from celery import shared_task
from django.db import transaction

from skinspire.reconciliation.services.daily import (
    reconciliation_daily_configurations,
    reconciliation_scheduled_run,
)
from skinspire.reconciliation.services.report import reconciliation_report_send
from skinspire.reconciliation.services.runs import reconciliation_runs_abandoned_fail

REPORT_RETRIES = 5
REPORT_RETRY_SECONDS = 300


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
    if run is not None and run.status == "completed":
        # The e-mail report in its own task: a mail server's trouble is retried, never
        # fails the run; the service sends once per run however often it is called.
        transaction.on_commit(partial(reconciliation_report.delay, run_id=run.pk))
    return run.pk if run else None


@shared_task(bind=True, max_retries=REPORT_RETRIES)
def reconciliation_report(self, *, run_id: int) -> bool:
    try:
        return reconciliation_report_send(run_id=run_id)
    except (SMTPException, OSError) as error:
        raise self.retry(exc=error, countdown=REPORT_RETRY_SECONDS) from error


@shared_task
def reconciliation_runs_abandoned() -> list[int]:
    """Runs left "running" by a process that ended, marked failed (schedules.py)."""
    return reconciliation_runs_abandoned_fail()
