"""Requests under one idempotency key at the same instant, on PostgreSQL with real threads
(a double click, a client retrying while its first request still runs): one payment or
refund is recorded, and every request answers with it. Requests for different bills under
one key meet at the unique constraint: one lands, the others are 409s."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from skinspire.collections.models import PatientPayment, PatientRefund
from skinspire.collections.services.payments import (
    patient_payment_manual_record,
    patient_payment_manual_record_once,
)
from skinspire.collections.services.refunds import patient_refund_create_once
from skinspire.collections.tests.factories import BillFactory
from skinspire.collections.tests.test_bill_paid_concurrency import THREADS, race
from skinspire.core.errors import ConflictError
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import BranchFactory, UserFactory
from skinspire.ledger.models import JournalEntry
from skinspire.ledger.services import chart_of_accounts_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def counter(postgres_only):
    branch = BranchFactory()
    chart_of_accounts_create(hospital=branch.hospital)
    cashier = UserFactory(hospital=branch.hospital, roles=[ROLE_PAYMENTS_STAFF], branches=[branch])
    return branch, cashier


def post_as(user, url: str, body: dict):
    def send():
        client = APIClient()
        client.force_authenticate(user)
        response = client.post(url, body, format="json")
        return response.status_code, response.json()["id"]

    return send


def test_ten_posts_of_one_counter_payment_under_one_key_record_it_once(counter):
    branch, cashier = counter
    bill = BillFactory(branch=branch, amount=Decimal("1500.00"))
    body = {"bill_id": bill.pk, "amount": "1500.00", "method": "cash", "idempotency_key": "counter-1"}

    results = race([post_as(cashier, "/api/patient-payments/manual", body) for _ in range(THREADS)])

    payment = PatientPayment.objects.get()
    assert sorted(results) == [(200, payment.pk)] * (THREADS - 1) + [(201, payment.pk)]
    bill.refresh_from_db()
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "paid")
    assert JournalEntry.objects.filter(event="received").count() == 1


def test_one_key_on_ten_bills_at_once_records_one_payment_and_nine_conflicts(counter):
    branch, cashier = counter
    bills = [BillFactory(branch=branch, amount=Decimal("500.00")) for _ in range(THREADS)]

    results = race(
        [
            lambda bill=bill: patient_payment_manual_record_once(
                actor=cashier, bill=bill, amount="500.00", method="cash", idempotency_key="counter-1"
            )
            for bill in bills
        ]
    )

    payment = PatientPayment.objects.get()
    assert [result for result in results if not isinstance(result, ConflictError)] == [(payment, True)]
    assert sum(isinstance(result, ConflictError) for result in results) == THREADS - 1
    assert JournalEntry.objects.filter(event="received").count() == 1


def test_ten_posts_of_one_full_refund_under_one_key_refund_once(counter):
    branch, cashier = counter
    bill = BillFactory(branch=branch, amount=Decimal("1500.00"))
    payment = patient_payment_manual_record(actor=cashier, bill=bill, amount="1500.00", method="cash")
    body = {"reason": "Procedure cancelled", "idempotency_key": "refund-1"}

    results = race(
        [post_as(cashier, f"/api/patient-payments/{payment.pk}/refunds", body) for _ in range(THREADS)]
    )

    refund = PatientRefund.objects.get()
    assert sorted(results) == [(200, refund.pk)] * (THREADS - 1) + [(201, refund.pk)]
    payment.refresh_from_db()
    assert (refund.amount, payment.status, payment.amount_refunded) == (
        Decimal("1500.00"),
        "refunded",
        Decimal("1500.00"),
    )
    assert JournalEntry.objects.filter(event="processed").count() == 1


def test_one_refund_key_on_ten_payments_at_once_refunds_one_and_nine_conflicts(counter):
    branch, cashier = counter
    payments = [
        patient_payment_manual_record(
            actor=cashier, bill=BillFactory(branch=branch), amount="100.00", method="cash"
        )
        for _ in range(THREADS)
    ]

    results = race(
        [
            lambda payment=payment: patient_refund_create_once(
                actor=cashier, payment=payment, reason="Asked", idempotency_key="refund-1"
            )
            for payment in payments
        ]
    )

    refund = PatientRefund.objects.get()
    assert [result for result in results if not isinstance(result, ConflictError)] == [(refund, True)]
    assert sum(isinstance(result, ConflictError) for result in results) == THREADS - 1
