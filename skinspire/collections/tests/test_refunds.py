"""Refunds of counter collections (no gateway): bounded, reversed in the ledger, bill reopened, audited."""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientRefund
from skinspire.collections.services.payments import patient_payment_manual_record
from skinspire.collections.services.refunds import patient_refund_apply_result, patient_refund_create
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.collections.tests.support import entries_for, history_of
from skinspire.core.errors import ConflictError
from skinspire.core.models import AuditEntry
from skinspire.gateways.providers.interface import RefundResult, RefundStatus
from skinspire.ledger.models import JournalEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cash(bill, staff_user):
    return patient_payment_manual_record(actor=staff_user, bill=bill, amount="1500.00", method="cash")


def test_a_partial_refund_reverses_its_part_and_reopens_the_bill(cash, bill, staff_user):
    refund = patient_refund_create(actor=staff_user, payment=cash, amount="400.00", reason="Duplicate charge")

    cash.refresh_from_db()
    bill.refresh_from_db()
    assert (refund.status, refund.amount, refund.processed_at is not None) == (
        "processed",
        Decimal("400.00"),
        True,
    )
    assert (cash.status, cash.amount_refunded) == ("partially_refunded", Decimal("400.00"))
    assert (bill.amount_paid, bill.status) == (Decimal("1100.00"), "partly_paid")
    assert entries_for(refund) == [
        (
            "processed",
            [("1000", Decimal("0.00"), Decimal("400.00")), ("1200", Decimal("400.00"), Decimal("0.00"))],
        )
    ]
    assert history_of(cash) == [
        ("pending", "captured", "applied"),
        ("captured", "partially_refunded", "applied"),
    ]
    actions = set(
        AuditEntry.objects.filter(object_id=str(refund.pk), content_type__model="patientrefund").values_list(
            "action", flat=True
        )
    )
    assert actions == {"patient_refund.create", "patient_refund.processed"}


def test_the_rest_refunds_it_fully_and_the_bill_is_unpaid_again(cash, bill, staff_user):
    patient_refund_create(actor=staff_user, payment=cash, amount="400.00", reason="Part")
    rest = patient_refund_create(actor=staff_user, payment=cash, reason="The rest")

    cash.refresh_from_db()
    bill.refresh_from_db()
    assert rest.amount == Decimal("1100.00")
    assert (cash.status, cash.amount_refunded) == ("refunded", Decimal("1500.00"))
    assert (bill.amount_paid, bill.status) == (Decimal("0.00"), "unpaid")


@pytest.mark.parametrize("amount", ["1500.01", "0.00", "-1"])
def test_more_than_is_left_is_a_conflict_and_writes_nothing(cash, staff_user, amount):
    with pytest.raises(ConflictError):
        patient_refund_create(actor=staff_user, payment=cash, amount=amount, reason="Too much")

    assert PatientRefund.objects.count() == 0
    assert JournalEntry.objects.count() == 1  # the payment's own


def test_a_pending_refund_counts_against_what_is_left(bill, staff_user):
    payment = PatientPaymentFactory(bill=bill, status="captured", gateway_order_id="order_1")
    PatientRefund.objects.create(hospital=bill.hospital, branch=bill.branch, payment=payment,
                                 amount=Decimal("1000.00"), reason="In flight")  # fmt: skip

    with pytest.raises(ConflictError, match="At most ₹500.00"):
        patient_refund_create(actor=staff_user, payment=payment, amount="500.01", reason="Too much")


@pytest.mark.parametrize("status", ["pending", "authorized", "failed", "refunded"])
def test_only_received_payments_are_refunded(bill, staff_user, status):
    payment = PatientPaymentFactory(bill=bill, status=status)

    with pytest.raises(ConflictError):
        patient_refund_create(actor=staff_user, payment=payment, reason="No")

    assert PatientRefund.objects.count() == 0


def test_a_refund_the_gateway_fails_leaves_the_payment_bill_and_ledger_alone(bill, staff_user):
    payment = PatientPaymentFactory(bill=bill, status="captured", gateway_order_id="order_1")
    bill.amount_paid, bill.status = Decimal("1500.00"), "paid"
    bill.save()
    refund = PatientRefund.objects.create(hospital=bill.hospital, branch=bill.branch, payment=payment,
                                          amount=Decimal("100.00"), reason="Asked")  # fmt: skip
    failed = RefundResult(gateway_refund_id="rfnd_1", gateway_payment_id="pay_1", status=RefundStatus.FAILED,
                          gateway_status="failed", amount=Decimal("100.00"), failure_reason="Bank rejected")  # fmt: skip

    patient_refund_apply_result(refund=refund, result=failed, reason="webhook", event_reference="webhook:x")
    patient_refund_apply_result(refund=refund, result=failed, reason="again", event_reference="webhook:y")

    refund.refresh_from_db()
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert (refund.status, refund.failure_reason, refund.gateway_refund_id) == (
        "failed",
        "Bank rejected",
        "rfnd_1",
    )
    assert (payment.status, payment.amount_refunded) == ("captured", Decimal("0"))
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "paid")
    assert JournalEntry.objects.count() == 0
    assert history_of(refund) == [("pending", "failed", "applied"), ("failed", "failed", "ignored")]
