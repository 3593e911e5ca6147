"""A payout the gateway holds says why: RazorpayX queues a payout when the balance is too
low (queue_if_low_balance) and gives the reason in `status_details`. The create answer and
the payout.queued webhook both carry it to the payment; it goes once the payout moves on."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.gateways.webhooks.status_sync import status_sync_run
from skinspire.payouts.selectors import payment_history
from skinspire.payouts.services.events import supplier_payment_apply_event
from skinspire.payouts.services.submission import supplier_payment_dispatch, supplier_payment_status_sync
from skinspire.payouts.tests.support import GatewayClock, history, inbox_deliver
from skinspire.payouts.tests.test_apply_event import advance_sandbox_payout, approved_payout, webhook
from skinspire.sandbox.models import SandboxMerchant, SandboxObject, SandboxWebhookDelivery

pytestmark = pytest.mark.django_db

LOW_BALANCE = "Payout is queued as there is insufficient balance to process it."


def test_a_payout_queued_for_low_balance_keeps_the_reason_until_it_moves_on(
    configuration, chart, supplier, maker, merchant
):
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=100)  # ₹1
    payment = approved_payout(supplier, maker)

    supplier_payment_dispatch(payment_id=payment.pk)

    payment.refresh_from_db()
    assert (payment.status, payment.waiting_code, payment.waiting_reason) == (
        "processing",
        "low_balance",
        LOW_BALANCE,
    )
    assert history(payment)[-1] == ("submitted", "processing", "applied")
    assert payment_history(payment=payment).last().reason == LOW_BALANCE  # the timeline says it too
    queued = webhook(configuration, "payout.queued")
    assert (queued.waiting_code, queued.waiting_reason, queued.failure_reason) == (
        "low_balance",
        LOW_BALANCE,
        "",
    )
    supplier_payment_apply_event(event=queued, configuration=configuration)  # the same word again
    payment.refresh_from_db()
    assert (payment.status, payment.waiting_code) == ("processing", "low_balance")

    # Topped up: the gateway starts it (payout.initiated) and the reason goes.
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=1_00_000_00)
    advance_sandbox_payout()
    supplier_payment_apply_event(
        event=webhook(configuration, "payout.initiated"), configuration=configuration
    )
    payment.refresh_from_db()
    assert (payment.status, payment.waiting_code, payment.waiting_reason) == ("processing", "", "")

    advance_sandbox_payout()
    supplier_payment_apply_event(
        event=webhook(configuration, "payout.processed"), configuration=configuration
    )
    payment.refresh_from_db()
    assert (payment.status, payment.waiting_code, payment.waiting_reason) == ("completed", "", "")


def test_a_payout_that_is_not_held_has_no_reason(configuration, chart, supplier, maker):
    payment = approved_payout(supplier, maker)
    supplier_payment_dispatch(payment_id=payment.pk)
    payment.refresh_from_db()
    assert (payment.status, payment.waiting_code, payment.waiting_reason) == ("processing", "", "")


BANK_PENDING = "Confirmation of credit to the beneficiary is pending from the beneficiary bank."


@pytest.mark.parametrize(
    ("amount", "word_after_processing"),
    [
        ("2500.00", ("", "")),
        # The sandbox keeps ₹2,222.22 processing, held for the beneficiary bank's confirmation.
        ("2222.22", ("beneficiary_bank_confirmation_pending", BANK_PENDING)),
    ],
)
def test_a_payout_queued_webhook_arriving_after_processing_does_not_bring_its_reason_back(
    configuration, chart, supplier, maker, merchant, run_tasks, monkeypatch, amount, word_after_processing
):
    """RazorpayX does not keep webhooks in order: payout.queued (said first) may reach us after
    payout.initiated. Each says when it was said (the envelope's created_at); the older word
    must not replace the newer one, though the status guard already refuses the move."""
    clock = GatewayClock(monkeypatch)
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=100)  # ₹1
    payment = approved_payout(supplier, maker, amount=amount)
    supplier_payment_dispatch(payment_id=payment.pk)  # queued for low balance, at 0 s
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=1_00_000_00)
    clock.at(30)
    advance_sandbox_payout()  # processing, at 30 s
    queued, initiated = (
        SandboxWebhookDelivery.objects.get(event_type=name) for name in ("payout.queued", "payout.initiated")
    )

    inbox_deliver(run_tasks, initiated, queued)  # the older word last

    payment.refresh_from_db()
    assert (payment.status, payment.waiting_code, payment.waiting_reason) == (
        "processing",
        *word_after_processing,
    )
    assert list(WebhookEvent.objects.order_by("id").values_list("event_type", "status")) == [
        ("payout.initiated", "processed"),
        ("payout.queued", "processed"),
    ]


def test_a_fetched_word_applies_even_when_the_gateways_clock_runs_ahead_of_ours(
    configuration, chart, supplier, maker, merchant, run_tasks, monkeypatch
):
    """A status fetch says what the gateway holds now and has no time of its own: it replaces
    whatever word was said before it, even one dated (by the gateway's clock) after our now."""
    clock = GatewayClock(monkeypatch).at(120)  # the gateway's clock two minutes ahead of ours
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=100)
    payment = approved_payout(supplier, maker, amount="2222.22")
    supplier_payment_dispatch(payment_id=payment.pk)
    inbox_deliver(run_tasks, SandboxWebhookDelivery.objects.get(event_type="payout.queued"))
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=1_00_000_00)
    clock.at(125)
    advance_sandbox_payout()  # its payout.initiated is lost

    supplier_payment_status_sync(payment_id=payment.pk)

    payment.refresh_from_db()
    assert (payment.status, payment.waiting_code, payment.waiting_reason) == (
        "processing",
        "beneficiary_bank_confirmation_pending",
        BANK_PENDING,
    )


def test_the_inbox_status_sync_keeps_the_reason_the_gateway_gives(
    configuration, chart, supplier, maker, merchant, run_tasks
):
    """A payout still queued when the status sync asks: the fetched answer carries the reason."""
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=100)
    payment = approved_payout(supplier, maker)
    supplier_payment_dispatch(payment_id=payment.pk)

    counts = status_sync_run(now=timezone.now() + timedelta(hours=1))

    payment.refresh_from_db()
    assert counts["asked"] == 1
    assert (payment.status, payment.waiting_code, payment.waiting_reason) == (
        "processing",
        "low_balance",
        LOW_BALANCE,
    )


BANK_DOWN = "Payout is queued as the beneficiary bank is down."


def _gateway_now_says(reason: str, description: str) -> None:
    """The sandbox's payout, still queued, with another `status_details` (RazorpayX sends
    payout.updated for it; here that webhook is lost, as the merchant's go nowhere)."""
    payout = SandboxObject.objects.get(entity="payout")
    payout.body["status_details"] = {
        "description": description,
        "source": "beneficiary_bank",
        "reason": reason,
    }
    payout.save(update_fields=["body"])


def test_the_inbox_status_sync_shows_a_new_reason_for_a_payout_whose_status_has_not_changed(
    configuration, chart, supplier, maker, merchant
):
    """RazorpayX changes a queued payout's reason (low balance, then the beneficiary bank
    down) without changing its status. The status sync's answer is a new answer, though its
    status is the same; asked again while nothing changed, it applies nothing; and when the
    gateway goes back to low balance, that shows again."""
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=100)
    payment = approved_payout(supplier, maker)
    supplier_payment_dispatch(payment_id=payment.pk)  # queued: low balance
    hours = iter(range(1, 10))

    def sync_and_read():
        status_sync_run(now=timezone.now() + timedelta(hours=next(hours)))
        payment.refresh_from_db()
        return payment.status, payment.waiting_code, payment.waiting_reason

    assert sync_and_read() == ("processing", "low_balance", LOW_BALANCE)
    _gateway_now_says("beneficiary_bank_down", BANK_DOWN)

    assert sync_and_read() == ("processing", "beneficiary_bank_down", BANK_DOWN)
    rows, moves = WebhookEvent.objects.count(), len(history(payment))
    assert sync_and_read() == ("processing", "beneficiary_bank_down", BANK_DOWN)  # nothing changed
    assert (WebhookEvent.objects.count(), len(history(payment))) == (rows, moves)  # applied once

    _gateway_now_says("low_balance", LOW_BALANCE)
    assert sync_and_read() == ("processing", "low_balance", LOW_BALANCE)
    assert sync_and_read() == ("processing", "low_balance", LOW_BALANCE)
    assert WebhookEvent.objects.count() == rows + 1


@pytest.mark.parametrize("fetched_first", [False, True], ids=["create-answer", "status-sync"])
def test_a_newer_webhook_applies_when_the_gateways_clock_runs_behind_ours(
    configuration, chart, supplier, maker, merchant, run_tasks, monkeypatch, fetched_first
):
    """The gateway's clock two minutes behind ours: the create call's answer and the status
    sync's are kept at the gateway's own time (the payout's creation), not ours, so the
    payout.initiated said after them (by the gateway's clock) takes the low-balance reason
    away, instead of being refused as older than our clock's reading."""
    clock = GatewayClock(monkeypatch).at(-120)
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=100)
    payment = approved_payout(supplier, maker)
    supplier_payment_dispatch(payment_id=payment.pk)  # queued for low balance
    if fetched_first:
        status_sync_run(now=timezone.now() + timedelta(hours=1))
        assert WebhookEvent.objects.get().source == "status_sync"
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=1_00_000_00)
    clock.at(-110)
    advance_sandbox_payout()  # processing

    inbox_deliver(run_tasks, SandboxWebhookDelivery.objects.get(event_type="payout.initiated"))

    payment.refresh_from_db()
    assert (payment.status, payment.waiting_code, payment.waiting_reason) == ("processing", "", "")


def test_a_word_without_a_time_never_replaces_one_the_gateway_dated(
    configuration, chart, supplier, maker, merchant, run_tasks, monkeypatch
):
    """A webhook that carries no time of its own (a Paytm callback without processedOn or
    createdOn) may be older than anything kept: it does not replace a word the gateway
    dated (here payout.queued's low balance, after payout.initiated's bank confirmation)."""
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=100)
    payment = approved_payout(supplier, maker, amount="2222.22")
    supplier_payment_dispatch(payment_id=payment.pk)
    SandboxMerchant.objects.filter(pk=merchant.pk).update(balance_paise=1_00_000_00)
    advance_sandbox_payout()
    inbox_deliver(run_tasks, SandboxWebhookDelivery.objects.get(event_type="payout.initiated"))
    payment.refresh_from_db()
    assert payment.waiting_code == "beneficiary_bank_confirmation_pending"
    queued = webhook(configuration, "payout.queued")

    supplier_payment_apply_event(event=replace(queued, event_id="no-time", occurred_at=None),
                                 configuration=configuration)  # fmt: skip

    payment.refresh_from_db()
    assert (payment.waiting_code, payment.waiting_reason) == (
        "beneficiary_bank_confirmation_pending",
        BANK_PENDING,
    )
