"""The gateway's fee on a payment reported after the payment was captured (a Paytm payment:
the checkout's callback and status check capture it without the fee, the webhook that follows
carries commission and GST) is filled in, so the fee report shows it; a fee already known stays.
Before, the late report was ignored with the repeated capture and the fee report counted ₹0.00
for a payment whose settlement line had ₹35.40 (docs/reconciliation.md, *Reports*)."""

from decimal import Decimal

import pytest

from skinspire.collections.services.outcomes import patient_payment_outcome_apply
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.ledger.services import chart_of_accounts_create

pytestmark = pytest.mark.django_db


def captured(payment, *, event: str, fee: Decimal | None, tax: Decimal | None) -> None:
    patient_payment_outcome_apply(
        payment=payment, status="captured", amount=payment.amount, reason=event, event_reference=event,
        gateway_payment_id="20261201111", method="upi", fee=fee, tax=tax,
    )  # fmt: skip


def test_a_fee_reported_after_the_capture_is_filled_in(bill):
    chart_of_accounts_create(hospital=bill.hospital)
    payment = PatientPaymentFactory(bill=bill, source="paytm")
    captured(payment, event="verify:1", fee=None, tax=None)

    captured(payment, event="webhook:1", fee=Decimal("35.40"), tax=Decimal("5.40"))

    payment.refresh_from_db()
    assert (payment.status, payment.fee, payment.tax) == ("captured", Decimal("35.40"), Decimal("5.40"))


def test_a_known_fee_is_kept(bill):
    chart_of_accounts_create(hospital=bill.hospital)
    payment = PatientPaymentFactory(bill=bill)
    captured(payment, event="webhook:1", fee=Decimal("35.40"), tax=Decimal("5.40"))

    captured(payment, event="webhook:2", fee=Decimal("99.00"), tax=Decimal("9.00"))

    payment.refresh_from_db()
    assert (payment.fee, payment.tax) == (Decimal("35.40"), Decimal("5.40"))
