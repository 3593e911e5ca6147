"""Counter collections: received at once, the bill's paid amount follows, the ledger is posted."""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.payments import patient_payment_capture, patient_payment_manual_record
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.collections.tests.support import entries_for, history_of
from skinspire.core.errors import ApplicationError
from skinspire.core.models import AuditEntry
from skinspire.ledger.models import JournalEntry

pytestmark = pytest.mark.django_db


def test_cash_is_captured_the_bill_partly_paid_and_the_bank_debited(bill, staff_user):
    payment = patient_payment_manual_record(
        actor=staff_user, bill=bill, amount="600.00", method="cash", notes="Paid at reception"
    )

    payment.refresh_from_db()
    bill.refresh_from_db()
    assert (payment.status, payment.category, payment.source, payment.method) == (
        "captured",
        "manual",
        "internal",
        "cash",
    )
    assert payment.captured_at is not None
    assert (bill.amount_paid, bill.status, bill.amount_open) == (
        Decimal("600.00"),
        "partly_paid",
        Decimal("900.00"),
    )
    assert history_of(payment) == [("pending", "captured", "applied")]
    assert entries_for(payment) == [
        (
            "received",
            [("1000", Decimal("600.00"), Decimal("0.00")), ("1200", Decimal("0.00"), Decimal("600.00"))],
        )
    ]
    assert (
        AuditEntry.objects.filter(action="patient_payment.manual_record", object_id=str(payment.pk)).count()
        == 1
    )


def test_the_rest_by_cheque_pays_the_bill(bill, staff_user):
    patient_payment_manual_record(actor=staff_user, bill=bill, amount="600.00", method="cash")
    cheque = patient_payment_manual_record(
        actor=staff_user, bill=bill, amount="900.00", method="cheque", instrument_reference="000123"
    )

    bill.refresh_from_db()
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "paid")
    assert cheque.bank_transaction_id == "000123"


@pytest.mark.parametrize("amount", ["1500.01", "0.00", "-1.00", "10.001"])
def test_more_than_is_open_or_a_bad_amount_writes_nothing(bill, staff_user, amount):
    with pytest.raises(ApplicationError):
        patient_payment_manual_record(actor=staff_user, bill=bill, amount=amount, method="cash")

    assert PatientPayment.objects.count() == 0
    assert JournalEntry.objects.count() == 0
    bill.refresh_from_db()
    assert (bill.amount_paid, bill.status) == (Decimal("0"), "unpaid")


def test_a_paid_bill_takes_no_more(bill, staff_user):
    patient_payment_manual_record(actor=staff_user, bill=bill, amount="1500.00", method="card_swipe")

    with pytest.raises(ApplicationError, match="already paid"):
        patient_payment_manual_record(actor=staff_user, bill=bill, amount="1.00", method="cash")

    assert PatientPayment.objects.count() == 1


def test_an_unknown_method_is_refused(bill, staff_user):
    with pytest.raises(ApplicationError, match="not a counter payment method"):
        patient_payment_manual_record(actor=staff_user, bill=bill, amount="1.00", method="upi")

    assert PatientPayment.objects.count() == 0


def test_capturing_twice_applies_once_and_posts_once(bill):
    payment = PatientPaymentFactory(bill=bill, amount=Decimal("1500.00"))

    first = patient_payment_capture(
        payment=payment,
        reason="verify",
        event_reference="verify:1",
        gateway_payment_id="pay_1",
        fee=Decimal("35.40"),
    )
    second = patient_payment_capture(payment=payment, reason="webhook", event_reference="webhook:evt_1")

    assert (first.outcome, second.outcome) == ("applied", "ignored")
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert (payment.status, payment.gateway_payment_id, payment.fee) == (
        "captured",
        "pay_1",
        Decimal("35.40"),
    )
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "paid")
    assert entries_for(payment) == [
        (
            "received",
            [("1100", Decimal("1500.00"), Decimal("0.00")), ("1200", Decimal("0.00"), Decimal("1500.00"))],
        )
    ]
    assert history_of(payment) == [("pending", "captured", "applied"), ("captured", "captured", "ignored")]


def test_paid_amount_counts_only_received_money_net_of_refunds(branch):
    bill = BillFactory(branch=branch, amount=Decimal("1000.00"))
    PatientPaymentFactory(bill=bill, amount=Decimal("300.00"), status="pending")
    PatientPaymentFactory(bill=bill, amount=Decimal("200.00"), status="failed")
    PatientPaymentFactory(bill=bill, amount=Decimal("400.00"), status="partially_refunded",
                          amount_refunded=Decimal("150.00"))  # fmt: skip
    captured = PatientPaymentFactory(bill=bill, amount=Decimal("100.00"))

    patient_payment_capture(payment=captured, reason="test", event_reference="test:1")

    bill.refresh_from_db()
    assert (bill.amount_paid, bill.status) == (Decimal("350.00"), "partly_paid")
