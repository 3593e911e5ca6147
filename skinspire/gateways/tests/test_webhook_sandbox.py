"""The sandbox's own webhook deliveries reach the inbox in-process, with its chaos knobs:
duplicates, out-of-order and dropped webhooks all end with the payout in the right state.

Everything runs as in production but synchronously (eager Celery, committed transactions):
the adapter creates a payout on the sandbox, the sandbox moves it and signs its events,
its delivery posts them to /api/gateway/webhook/razorpay, the relay and worker apply them.
"""

import pytest

from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_razorpay_support import bank_payout
from skinspire.gateways.tests.webhook_support import history, rows
from skinspire.gateways.webhooks.registry import StatusQuery, register_status_source, unregister_status_source
from skinspire.gateways.webhooks.status_sync import status_sync_run
from skinspire.sandbox.delivery import webhook_send
from skinspire.sandbox.models import SandboxWebhookDelivery
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

pytestmark = pytest.mark.django_db(transaction=True)

WEBHOOK_URL = "http://sandbox.testserver/api/gateway/webhook/razorpay"
SANDBOX = "http://sandbox.testserver/sandbox/razorpay"
REFERENCE = "PAY-000042"  # bank_payout()'s reference


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(webhook_url=WEBHOOK_URL, account_number="2323230041626905")


@pytest.fixture
def configuration(merchant):
    return GatewayConfigurationFactory(
        base_url=SANDBOX,
        key_id=merchant.key_id,
        razorpay_key_secret=merchant.key_secret,
        razorpay_webhook_secret=merchant.webhook_secret,
        account_number=merchant.account_number,
    )


@pytest.fixture
def payout():
    return TrialPayout.objects.create(reference=REFERENCE)


def pay(configuration, merchant, **chaos) -> None:
    merchant.webhook_chaos = chaos
    merchant.save(update_fields=["webhook_chaos"])
    provider_for(configuration).create_payout(bank_payout())


def deliveries() -> list[tuple[str, str, int | None]]:
    found = SandboxWebhookDelivery.objects.order_by("id")
    return list(found.values_list("event_type", "status", "last_status_code"))


def test_without_handlers_every_sandbox_webhook_is_accepted_and_ignored(
    configuration, merchant, no_payout_handler
):
    pay(configuration, merchant)

    assert deliveries() == [("payout.initiated", "delivered", 200), ("payout.processed", "delivered", 200)]
    assert [(row.event_type, row.status, row.configuration_id) for row in rows()] == [
        ("payout.initiated", "ignored", configuration.pk),
        ("payout.processed", "ignored", configuration.pk),
    ]


def test_each_event_moves_the_payout_once(configuration, merchant, payout, payout_handler):
    pay(configuration, merchant)

    assert [row.status for row in rows()] == ["processed", "processed"]
    assert history(payout) == [("queued", "processing", "applied"), ("processing", "processed", "applied")]


def test_duplicated_deliveries_are_handled_once(configuration, merchant, payout, payout_handler):
    pay(configuration, merchant, duplicate=True)

    sent = SandboxWebhookDelivery.objects.order_by("id")
    assert [(delivery.status, delivery.attempts) for delivery in sent] == [("delivered", 2), ("delivered", 2)]
    assert [row.event_type for row in rows()] == ["payout.initiated", "payout.processed"]
    assert history(payout) == [("queued", "processing", "applied"), ("processing", "processed", "applied")]


def test_deliveries_in_reverse_order_end_processed(configuration, merchant, payout, payout_handler):
    pay(configuration, merchant, out_of_order=True)  # the sandbox holds both back
    held = list(SandboxWebhookDelivery.objects.order_by("-id"))
    assert [(delivery.event_type, delivery.status) for delivery in held] == [
        ("payout.processed", "pending"),
        ("payout.initiated", "pending"),
    ]

    for delivery in held:  # newest first
        webhook_send(delivery_id=delivery.pk)

    assert [(row.event_type, row.status) for row in rows()] == [
        ("payout.processed", "processed"),
        ("payout.initiated", "processed"),
    ]
    payout.refresh_from_db()
    assert payout.status == "processed"
    assert history(payout) == [("queued", "processed", "applied"), ("processed", "processing", "ignored")]


@pytest.fixture
def pending_payouts(configuration):
    def list_pending(*, older_than):
        waiting = TrialPayout.objects.filter(status__in=["queued", "processing"])
        return [StatusQuery(configuration.pk, "payout", "", payout.reference) for payout in waiting]

    register_status_source("trial payouts", list_pending)
    yield
    unregister_status_source("trial payouts")


def test_a_dropped_webhook_is_made_good_by_the_status_sync(
    configuration, merchant, payout, payout_handler, pending_payouts
):
    pay(configuration, merchant, drop=True)
    assert [status for _, status, _ in deliveries()] == ["dropped", "dropped"]
    assert rows() == []

    assert status_sync_run() == {"asked": 1, "applied": 1, "unchanged": 0, "unanswered": 0}
    assert status_sync_run() == {"asked": 0, "applied": 0, "unchanged": 0, "unanswered": 0}

    [row] = rows()
    assert (row.source, row.event_id, row.event_type, row.status) == (
        "status_sync",
        f"sync:payout:{row.object_id}:processed",
        "payout.processed",
        "processed",
    )
    assert row.object_id.startswith("pout_")
    assert history(payout) == [("queued", "processed", "applied")]


def test_a_staff_refresh_applies_the_answer_once(configuration, merchant, payout, payout_handler):
    from skinspire.gateways.webhooks.status_sync import status_refresh

    pay(configuration, merchant, drop=True)
    query = StatusQuery(configuration.pk, "payout", "", REFERENCE)

    first = status_refresh(query=query)
    again = status_refresh(query=query)

    assert (first.status, first.source, again.pk) == ("processed", "status_sync", first.pk)
    assert len(rows()) == 1
    assert history(payout) == [("queued", "processed", "applied")]


def test_an_answer_asked_for_again_unchanged_is_counted_unchanged_not_applied(
    configuration, merchant, payout, payout_handler
):
    """A source still listing the object (its own record lags, say): the gateway's answer is
    the one stored before, so nothing is applied again, and the count says so."""

    def list_the_payout(*, older_than):
        return [StatusQuery(configuration.pk, "payout", "", REFERENCE)]

    pay(configuration, merchant, drop=True)
    register_status_source("the payout, always", list_the_payout)
    try:
        first, second = status_sync_run(), status_sync_run()
    finally:
        unregister_status_source("the payout, always")

    assert first == {"asked": 1, "applied": 1, "unchanged": 0, "unanswered": 0}
    assert second == {"asked": 1, "applied": 0, "unchanged": 1, "unanswered": 0}
    assert len(rows()) == 1
    assert history(payout) == [("queued", "processed", "applied")]


def test_objects_the_gateway_cannot_be_asked_about_are_counted_unanswered(configuration, merchant):
    def list_pending(*, older_than):
        return [
            StatusQuery(configuration.pk, "settlement", "setl_1", ""),
            StatusQuery(configuration.pk, "payout", "", "NO-SUCH-REF"),
        ]

    register_status_source("unanswerable", list_pending)
    try:
        assert status_sync_run() == {"asked": 2, "applied": 0, "unchanged": 0, "unanswered": 2}
    finally:
        unregister_status_source("unanswerable")
    assert rows() == []
