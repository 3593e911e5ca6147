"""setup_periodic_tasks creates the periodic tasks each installed app declares in its own
schedules.py, and none of an app that is not installed (the sandbox, in production)."""

import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from skinspire.celery_app import app as celery_app
from skinspire.core.schedules import periodic_task_definitions, periodic_tasks_all

SANDBOX_TASKS = [
    ("sandbox: retry failed webhook deliveries", "skinspire.sandbox.tasks.sandbox_webhook_retry_due"),
    (
        "sandbox razorpay: daily T+1 settlements",
        "skinspire.sandbox.razorpay.tasks.sandbox_razorpay_settlements_daily",
    ),
    (
        "sandbox razorpay: expire payment links",
        "skinspire.sandbox.razorpay.tasks.sandbox_razorpay_payment_links_expire",
    ),
    (
        "sandbox razorpay: expire payout links",
        "skinspire.sandbox.razorpay.tasks.sandbox_razorpay_payout_links_expire",
    ),
    ("sandbox paytm: expire payment links", "skinspire.sandbox.paytm.tasks.sandbox_paytm_links_expire_due"),
]
GATEWAYS_TASKS = [
    ("gateways: status sync for lost webhooks", "skinspire.gateways.webhooks.tasks.webhook_status_sync"),
    ("gateways: webhook relay sweep", "skinspire.gateways.webhooks.tasks.webhook_relay_sweep"),
]
PAYOUTS_TASKS = [
    (
        "payouts: resolve payouts stuck submitted or unknown",
        "skinspire.payouts.tasks.supplier_payments_resolve_stale_task",
    ),
]
COLLECTIONS_TASKS = [
    (
        "collections: fail counter refunds left unconfirmed",
        "skinspire.collections.tasks.patient_refunds_counter_unconfirmed",
    ),
    (
        "collections: find or resend gateway refunds never answered",
        "skinspire.collections.tasks.patient_refunds_unsent",
    ),
    (
        "collections: mark gateway refunds pending too long",
        "skinspire.collections.tasks.patient_refunds_overdue",
    ),
]
RECONCILIATION_TASKS = [
    (
        "reconciliation: yesterday's settlements, every active configuration",
        "skinspire.reconciliation.tasks.reconciliation_daily",
    ),
    (
        "reconciliation: fail runs a stopped process left running",
        "skinspire.reconciliation.tasks.reconciliation_runs_abandoned",
    ),
]
# In INSTALLED_APPS order: the product apps, then the sandbox (added after them).
PRODUCT_TASKS = GATEWAYS_TASKS + PAYOUTS_TASKS + COLLECTIONS_TASKS + RECONCILIATION_TASKS
ALL_TASKS = PRODUCT_TASKS + SANDBOX_TASKS


def setup_periodic_tasks() -> str:
    out = io.StringIO()
    call_command("setup_periodic_tasks", stdout=out)
    return out.getvalue()


def without_sandbox(settings) -> None:
    settings.INSTALLED_APPS = [name for name in settings.INSTALLED_APPS if name != "skinspire.sandbox"]


def test_the_sandbox_declares_its_own_tasks_and_discovery_finds_them():
    found = [(definition["name"], definition["task"]) for definition in periodic_tasks_all()]
    # Every task found is a product app's or the sandbox's, in INSTALLED_APPS order.
    assert found == ALL_TASKS


def test_every_declared_task_is_a_registered_celery_task():
    celery_app.loader.import_default_modules()
    assert [
        definition["task"]
        for definition in periodic_tasks_all()
        if definition["task"] not in celery_app.tasks
    ] == []


@pytest.mark.django_db
def test_the_command_creates_each_discovered_task_with_its_schedule():
    assert setup_periodic_tasks().splitlines() == [f"created: {name}" for name, _ in ALL_TASKS]
    tasks = {task.name: task for task in PeriodicTask.objects.select_related("interval", "crontab")}
    assert sorted((name, task.task) for name, task in tasks.items()) == sorted(ALL_TASKS)
    retry = tasks["sandbox: retry failed webhook deliveries"]
    assert (retry.interval.every, retry.interval.period, retry.crontab) == (60, "seconds", None)
    settlements = tasks["sandbox razorpay: daily T+1 settlements"].crontab
    assert (settlements.minute, settlements.hour, str(settlements.timezone)) == ("30", "9", "Asia/Kolkata")


@pytest.mark.django_db
def test_running_it_again_keeps_an_admins_edits():
    setup_periodic_tasks()
    PeriodicTask.objects.filter(name="sandbox paytm: expire payment links").update(enabled=False)
    assert setup_periodic_tasks().splitlines() == [f"kept: {name}" for name, _ in ALL_TASKS]
    assert PeriodicTask.objects.get(name="sandbox paytm: expire payment links").enabled is False
    assert PeriodicTask.objects.count() == len(ALL_TASKS)


@pytest.mark.django_db
def test_without_the_sandbox_installed_none_of_its_tasks_is_found_or_created(settings):
    without_sandbox(settings)
    assert [definition["name"] for definition in periodic_tasks_all()] == [name for name, _ in PRODUCT_TASKS]
    assert setup_periodic_tasks().splitlines() == [f"created: {name}" for name, _ in PRODUCT_TASKS]
    assert PeriodicTask.objects.count() == len(PRODUCT_TASKS)


def test_a_name_declared_twice_is_refused():
    first = SimpleNamespace(__name__="skinspire.first.schedules", PERIODIC_TASKS=[{"name": "n", "task": "a"}])
    second = SimpleNamespace(
        __name__="skinspire.second.schedules", PERIODIC_TASKS=[{"name": "n", "task": "b"}]
    )
    with pytest.raises(ImproperlyConfigured) as raised:
        periodic_task_definitions([first, second])
    assert str(raised.value) == (
        "Periodic task name 'n' is declared by skinspire.first.schedules and skinspire.second.schedules; "
        "names must be unique."
    )


@pytest.mark.django_db
def test_an_entry_whose_task_moved_runs_the_new_path_and_keeps_its_schedule_edits():
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="sandbox: retry failed webhook deliveries",
        task="skinspire.gateways.sandbox.tasks.sandbox_webhook_retry_due",  # where it was before the move
        interval=every_minute,
        enabled=False,
    )

    output = setup_periodic_tasks().splitlines()

    assert "updated: sandbox: retry failed webhook deliveries" in output
    moved = PeriodicTask.objects.get(name="sandbox: retry failed webhook deliveries")
    assert (moved.task, moved.enabled) == ("skinspire.sandbox.tasks.sandbox_webhook_retry_due", False)


@pytest.mark.django_db
def test_our_tasks_no_installed_app_declares_are_removed_and_others_left_alone(settings):
    setup_periodic_tasks()
    every_hour = IntervalSchedule.objects.create(every=3600, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="celery: cleanup", task="celery.backend_cleanup", interval=every_hour)
    without_sandbox(settings)  # production: the sandbox is not installed

    assert setup_periodic_tasks().splitlines() == [f"kept: {name}" for name, _ in PRODUCT_TASKS] + sorted(
        f"removed: {name}" for name, _ in SANDBOX_TASKS
    )
    assert sorted(PeriodicTask.objects.values_list("name", "task")) == sorted(
        [("celery: cleanup", "celery.backend_cleanup"), *PRODUCT_TASKS]
    )
