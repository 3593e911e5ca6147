"""A run whose process ended before finishing it (a worker killed for memory, a restart) is
left "running"; the sweep marks it failed after an hour, with a message and its history row,
and leaves alone what is young or finished."""

from datetime import timedelta

import pytest
from django.utils import timezone

from skinspire.core.models import StatusTransition
from skinspire.reconciliation import schedules
from skinspire.reconciliation.models import ReconciliationRun
from skinspire.reconciliation.services.runs import RUN_ABANDONED_AFTER, reconciliation_runs_abandoned_fail
from skinspire.reconciliation.tasks import reconciliation_runs_abandoned
from skinspire.reconciliation.tests.admin_support import DAY, finished_run

pytestmark = pytest.mark.django_db


def running_run(configuration, *, started_ago: timedelta) -> ReconciliationRun:
    run = ReconciliationRun.objects.create(
        hospital_id=configuration.hospital_id, configuration=configuration, run_date=DAY, trigger="manual"
    )
    ReconciliationRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - started_ago)
    return run


def test_a_run_left_running_past_the_hour_is_failed_with_why(configuration):
    stranded = running_run(configuration, started_ago=RUN_ABANDONED_AFTER + timedelta(minutes=5))

    assert reconciliation_runs_abandoned_fail() == [stranded.pk]

    stranded.refresh_from_db()
    assert stranded.status == "failed"
    assert stranded.error_message.startswith("The run stopped without finishing (started ")
    assert "start the date again" in stranded.error_message
    assert stranded.finished_at is not None
    moved = StatusTransition.objects.get(object_id=str(stranded.pk), to_state="failed")
    assert (moved.from_state, moved.event_reference) == ("running", f"reconciliation:run:{stranded.pk}")


def test_young_and_finished_runs_are_left_alone(configuration):
    young = running_run(configuration, started_ago=RUN_ABANDONED_AFTER - timedelta(minutes=5))
    done = finished_run(configuration)
    ReconciliationRun.objects.filter(pk=done.pk).update(started_at=timezone.now() - timedelta(days=2))

    assert reconciliation_runs_abandoned_fail() == []

    assert ReconciliationRun.objects.get(pk=young.pk).status == "running"
    assert ReconciliationRun.objects.get(pk=done.pk).status == "completed"


def test_the_sweep_is_a_task_scheduled_every_quarter_of_an_hour(configuration):
    stranded = running_run(configuration, started_ago=timedelta(hours=3))
    (definition,) = [
        item for item in schedules.PERIODIC_TASKS if item["task"] == reconciliation_runs_abandoned.name
    ]

    assert definition["every_seconds"] == 900
    assert reconciliation_runs_abandoned.delay().get() == [stranded.pk]
    assert ReconciliationRun.objects.get(pk=stranded.pk).status == "failed"
