"""A bill that receives more than it is for (two tabs each paying it in full, a link paid
after the counter took part of it) keeps every payment, as money received must land, and
says so once in the audit log, where staff and accountants see alerts: nothing else tells
them that a patient is owed a refund (the bill just reads paid, nothing open)."""

from decimal import Decimal

import pytest

from skinspire.collections.services.payments import patient_payment_capture, patient_payment_manual_record
from skinspire.collections.services.refunds import patient_refund_create
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.core.models import AuditEntry
from skinspire.ledger.models import JournalEntry

pytestmark = pytest.mark.django_db

ALERT = "bill.overpaid_alert"


def captured(payment):
    patient_payment_capture(
        payment=payment, reason="Gateway event payment.captured", event_reference=f"webhook:{payment.pk}"
    )
    return payment


def test_a_bill_paid_in_full_in_two_tabs_keeps_both_payments_and_alerts_once(bill):
    first, second = (PatientPaymentFactory(bill=bill, amount=Decimal("1500.00")) for _ in range(2))

    captured(first)
    captured(second)

    bill.refresh_from_db()
    assert (bill.amount_paid, bill.amount_open, bill.status) == (Decimal("3000.00"), Decimal("0.00"), "paid")
    assert JournalEntry.objects.filter(event="received").count() == 2
    alert = AuditEntry.objects.get(action=ALERT)
    assert alert.object_id == str(bill.pk)
    assert alert.message == (
        f"Bill {bill.number} is for ₹1,500.00 and has received ₹3,000.00: ₹1,500.00 more. "
        "Refund the extra to the patient."
    )


def test_a_link_paid_after_the_counter_took_part_alerts_the_excess(bill, staff_user):
    patient_payment_manual_record(actor=staff_user, bill=bill, amount="1000.00", method="cash")

    captured(PatientPaymentFactory(bill=bill, amount=Decimal("1500.00")))

    assert AuditEntry.objects.get(action=ALERT).message.startswith(
        f"Bill {bill.number} is for ₹1,500.00 and has received ₹2,500.00: ₹1,000.00 more."
    )


def test_refunding_the_excess_alerts_nothing_more(bill, staff_user):
    cash = patient_payment_manual_record(actor=staff_user, bill=bill, amount="1500.00", method="cash")
    captured(PatientPaymentFactory(bill=bill, amount=Decimal("1500.00")))

    patient_refund_create(actor=staff_user, payment=cash, reason="Paid online as well")

    bill.refresh_from_db()
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "paid")
    assert AuditEntry.objects.filter(action=ALERT).count() == 1


def test_a_bill_paid_exactly_in_parts_alerts_nothing(bill, staff_user):
    patient_payment_manual_record(actor=staff_user, bill=bill, amount="500.00", method="cash")
    captured(PatientPaymentFactory(bill=bill, amount=Decimal("1000.00")))

    bill.refresh_from_db()
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "paid")
    assert not AuditEntry.objects.filter(action=ALERT).exists()
