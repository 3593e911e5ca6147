"""Patient payments and refunds as rows of ours: only what reached the gateway, dated when
the money moved, failed attempts included, another configuration's left out."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from skinspire.collections.models import PatientRefund
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core.tests.factories import BranchFactory
from skinspire.core.tests.money_rows import create_in
from skinspire.reconciliation.engine import Kind, RowStatus, SystemRow
from skinspire.reconciliation.sources.collections import patient_payment_rows, patient_refund_rows
from skinspire.reconciliation.tests import sandbox_support

pytestmark = pytest.mark.django_db

# 2026-04-10 20:00 UTC is 2026-04-11 01:30 in India: the row's date is India's.
LATE_EVENING_UTC = datetime(2026, 4, 10, 20, 0, tzinfo=UTC)
WINDOW = {"start": date(2026, 4, 9), "end": date(2026, 4, 12)}


@pytest.fixture
def bill(hospital):
    return BillFactory(branch=BranchFactory(hospital=hospital))


def payment(bill, configuration, **fields):
    return PatientPaymentFactory(bill=bill, configuration=configuration, **fields)


def test_payments_that_reached_the_gateway_in_the_window(bill, configuration):
    captured = payment(bill, configuration, status="captured", gateway_payment_id="pay_A", fee=Decimal("35.40"),
                       captured_at=LATE_EVENING_UTC)  # fmt: skip
    failed = payment(bill, configuration, status="failed", gateway_payment_id="pay_B")
    payment(bill, configuration, status="pending")  # an abandoned order: nothing to settle
    payment(
        bill,
        configuration,
        status="captured",
        gateway_payment_id="pay_C",
        captured_at=datetime(2026, 4, 1, 6, 0, tzinfo=UTC),
    )  # fmt: skip  (before the window)
    other = sandbox_support.razorpay_configuration(bill.hospital)
    payment(bill, other, status="captured", gateway_payment_id="pay_D", captured_at=LATE_EVENING_UTC)
    failed.created_at = LATE_EVENING_UTC
    failed.save(update_fields=["created_at"])

    rows = patient_payment_rows(configuration=configuration, **WINDOW)

    assert rows == [
        SystemRow(f"patient_payment:{captured.pk}", "pay_A", "", Decimal("1500.00"), Decimal("35.40"),
                  RowStatus.SUCCESS, date(2026, 4, 11), Kind.COLLECTION, captured.reference),
        SystemRow(f"patient_payment:{failed.pk}", "pay_B", "", Decimal("1500.00"), None,
                  RowStatus.FAILED, date(2026, 4, 11), Kind.COLLECTION, failed.reference),
    ]  # fmt: skip


def test_refunds_by_their_payments_configuration(bill, configuration):
    paid = payment(bill, configuration, status="partially_refunded", gateway_payment_id="pay_A",
                   captured_at=LATE_EVENING_UTC)  # fmt: skip
    refund = create_in(
        PatientRefund, hospital=bill.hospital, branch=bill.branch, payment=paid, amount=Decimal("500.00"),
        reason="Cancelled",
        status="processed", gateway_refund_id="rfnd_A", processed_at=LATE_EVENING_UTC, bank_reference="ARN1",
    )  # fmt: skip
    PatientRefund.objects.create(
        hospital=bill.hospital, branch=bill.branch, payment=paid, amount=Decimal("1.00"), reason="Not sent",
    )  # fmt: skip

    rows = patient_refund_rows(configuration=configuration, **WINDOW)

    assert rows == [
        SystemRow(f"patient_refund:{refund.pk}", "rfnd_A", "", Decimal("500.00"), None, RowStatus.SUCCESS,
                  date(2026, 4, 11), Kind.REFUND, refund.reference),
    ]  # fmt: skip
