"""A payout the gateway holds says why: RazorpayX queues a payout when the balance is too
low (queue_if_low_balance) and gives the reason in `status_details`. The create answer and
the payout.queued webhook both carry it to the payment; it goes once the payout moves on."""

import pytest

from skinspire.payouts.selectors import payment_history
from skinspire.payouts.services.events import supplier_payment_apply_event
from skinspire.payouts.services.submission import supplier_payment_dispatch
from skinspire.payouts.tests.support import history
from skinspire.payouts.tests.test_apply_event import advance_sandbox_payout, approved_payout, webhook
from skinspire.sandbox.models import SandboxMerchant

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
