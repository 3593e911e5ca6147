"""A payment's failure (services/checkout.py, `fail_payment`: a refused order, an order the
gateway never received) is written with its move only: a late one leaves a captured payment
without a failure reason, and a payment already failed keeps the reason it failed for."""

import pytest

from skinspire.collections.services.checkout import fail_payment
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.collections.tests.support import history_of

pytestmark = pytest.mark.django_db


def test_a_late_failure_leaves_a_captured_payment_as_it_is(bill):
    payment = PatientPaymentFactory(bill=bill, status="captured")

    fail_payment(payment=payment, reason="The gateway never received the order.", event_reference="recover:x")

    payment.refresh_from_db()
    assert (payment.status, payment.failure_reason) == ("captured", "")
    assert history_of(payment)[-1] == ("captured", "failed", "ignored")


def test_a_second_failure_keeps_the_first_reason(bill):
    payment = PatientPaymentFactory(bill=bill)
    fail_payment(
        payment=payment, reason="The gateway refused the order: bad amount", event_reference="order:x"
    )

    fail_payment(payment=payment, reason="The gateway never received the order.", event_reference="recover:x")

    payment.refresh_from_db()
    assert (payment.status, payment.failure_reason) == ("failed", "The gateway refused the order: bad amount")
    assert history_of(payment) == [("pending", "failed", "applied"), ("failed", "failed", "ignored")]
