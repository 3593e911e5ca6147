"""The daily reconciliation: declared for 02:00 India time, one run per active configuration
for yesterday, once however often the schedule fires or its task is delivered (one report)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django_celery_beat.models import PeriodicTask

from skinspire.celery_app import app
from skinspire.core.transitions import transition
from skinspire.reconciliation import schedules
from skinspire.reconciliation.models import ReconciliationRun
from skinspire.reconciliation.services.runs import ScheduledRunExistsError, reconciliation_run_start
from skinspire.reconciliation.tasks import reconciliation_daily, reconciliation_run
from skinspire.reconciliation.tests import sandbox_support

pytestmark = pytest.mark.django_db


def test_the_schedule_runs_the_daily_task_at_two_in_the_morning():
    (definition,) = [item for item in schedules.PERIODIC_TASKS if item["task"] == reconciliation_daily.name]

    assert definition["crontab"] == {"minute": "0", "hour": "2"}
    assert definition["task"] == reconciliation_daily.name
    assert definition["task"] in app.tasks


def test_setup_periodic_tasks_creates_it_at_two_india_time():
    call_command("setup_periodic_tasks", stdout=io.StringIO())

    task = PeriodicTask.objects.get(task="skinspire.reconciliation.tasks.reconciliation_daily")
    crontab = task.crontab
    assert (task.name, task.enabled) == (
        "reconciliation: yesterday's settlements, every active configuration",
        True,
    )
    assert (crontab.minute, crontab.hour, crontab.day_of_week, str(crontab.timezone)) == (
        "0",
        "2",
        "*",
        "Asia/Kolkata",
    )


def test_yesterday_is_reconciled_once_for_every_active_configuration(
    hospital, configuration, our_payment, django_capture_on_commit_callbacks
):
    yesterday = sandbox_support.today() - timedelta(days=1)
    second = sandbox_support.paytm_configuration(hospital)
    inactive = sandbox_support.razorpay_configuration(hospital)
    inactive.is_active = False
    inactive.save()
    our_payment(gateway_id="pay_x", amount=Decimal("10.00"), paid_on=yesterday)

    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        first_result = reconciliation_daily.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        again = reconciliation_daily.delay().get()

    runs = ReconciliationRun.objects.order_by("configuration_id")
    assert first_result == again == [configuration.pk, second.pk]
    # One run task per configuration after commit; each completed run then enqueues its report.
    assert [callback.func.__self__.name.rsplit(".", 1)[1] for callback in enqueued] == [
        "reconciliation_run",
        "reconciliation_run",
        "reconciliation_report",
        "reconciliation_report",
    ]
    assert [(run.configuration_id, run.run_date, run.trigger, run.status) for run in runs] == [
        (configuration.pk, yesterday, "schedule", "completed"),
        (second.pk, yesterday, "schedule", "completed"),
    ]
    assert runs[0].category_counts["expected"] == 1


def test_one_gateway_failing_does_not_stop_the_others(
    hospital, configuration, django_capture_on_commit_callbacks
):
    broken = sandbox_support.razorpay_configuration(hospital, key_secret="wrong_secret_for_the_sandbox")

    with django_capture_on_commit_callbacks(execute=True):
        reconciliation_daily.delay(on="2026-04-10").get()

    statuses = dict(ReconciliationRun.objects.values_list("configuration_id", "status"))
    assert statuses == {configuration.pk: "completed", broken.pk: "failed"}


def scheduled_run(configuration, run_date, *, status: str = "running") -> ReconciliationRun:
    """A scheduled run of `run_date`, as another delivery of the task left or is making it."""
    run = ReconciliationRun.objects.create(
        hospital_id=configuration.hospital_id,
        configuration=configuration,
        run_date=run_date,
        trigger="schedule",
    )
    if status != "running":
        transition(instance=run, to=status, reason="made by the test", event_reference=f"test:{run.pk}")
    return run


def run_task(configuration, run_date, capture) -> tuple[int | None, list[str]]:
    """One delivery of the run task: what it returned and the tasks it enqueued at commit."""
    with capture(execute=True) as enqueued:
        result = reconciliation_run.delay(
            configuration_id=configuration.pk, run_date=run_date.isoformat()
        ).get()
    return result, [callback.func.__self__.name.rsplit(".", 1)[1] for callback in enqueued]


def test_a_second_delivery_while_the_first_runs_makes_no_run_and_sends_no_report(
    configuration, our_payment, django_capture_on_commit_callbacks
):
    yesterday = sandbox_support.today() - timedelta(days=1)
    our_payment(gateway_id="pay_x", amount=Decimal("10.00"), paid_on=yesterday)
    first = scheduled_run(configuration, yesterday)  # the first delivery, still matching

    assert run_task(configuration, yesterday, django_capture_on_commit_callbacks) == (None, [])
    assert list(ReconciliationRun.objects.values_list("pk", "status")) == [(first.pk, "running")]


def test_two_deliveries_past_the_check_are_settled_by_the_database(configuration):
    """Both deliveries read "not yet reconciled" before either wrote its run: the second's run
    is refused by the database's rule, not by the check."""
    yesterday = sandbox_support.today() - timedelta(days=1)
    first = scheduled_run(configuration, yesterday)

    with pytest.raises(ScheduledRunExistsError):
        reconciliation_run_start(configuration=configuration, run_date=yesterday, trigger="schedule")
    with pytest.raises(IntegrityError), transaction.atomic():
        scheduled_run(configuration, yesterday)
    assert list(ReconciliationRun.objects.values_list("pk", flat=True)) == [first.pk]


def test_a_failed_scheduled_run_is_retried_and_reported(configuration, django_capture_on_commit_callbacks):
    yesterday = sandbox_support.today() - timedelta(days=1)
    failed = scheduled_run(configuration, yesterday, status="failed")

    run_id, enqueued = run_task(configuration, yesterday, django_capture_on_commit_callbacks)

    assert run_id != failed.pk and enqueued == ["reconciliation_report"]
    assert ReconciliationRun.objects.get(pk=run_id).status == "completed"


def test_a_date_a_person_reconciled_again_is_not_run_again_by_the_schedule(
    configuration, django_capture_on_commit_callbacks
):
    yesterday = sandbox_support.today() - timedelta(days=1)
    scheduled = scheduled_run(configuration, yesterday, status="completed")
    by_hand = reconciliation_run_start(configuration=configuration, run_date=yesterday, trigger="manual")

    assert run_task(configuration, yesterday, django_capture_on_commit_callbacks) == (None, [])
    assert sorted(ReconciliationRun.objects.values_list("pk", "status")) == [
        (scheduled.pk, "superseded"),
        (by_hand.pk, "completed"),
    ]
