"""The daily reconciliation: declared for 02:00 India time, one run per active configuration
for yesterday, once however often the schedule fires."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from skinspire.celery_app import app
from skinspire.reconciliation import schedules
from skinspire.reconciliation.models import ReconciliationRun
from skinspire.reconciliation.tasks import reconciliation_daily
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
