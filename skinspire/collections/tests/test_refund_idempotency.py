"""`POST /api/patient-payments/<id>/refunds` with an idempotency key: a retry or a double
submit refunds once. The same key again answers 200 with the first refund (a full refund's
retry too, when nothing is left to refund); the same key for another payment or amount is a
409 that writes nothing; no key refunds each time, as before; another hospital's keys are
its own."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from skinspire.collections.models import PatientPayment, PatientRefund
from skinspire.collections.services.payments import patient_payment_manual_record
from skinspire.collections.tests.factories import BillFactory
from skinspire.collections.tests.support import entries_for
from skinspire.core.models import AuditEntry
from skinspire.ledger.models import JournalEntry
from skinspire.ledger.services import chart_of_accounts_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def cashier(client_as) -> APIClient:
    return client_as("payments")


@pytest.fixture
def cash(bill, staff_user) -> PatientPayment:
    return patient_payment_manual_record(actor=staff_user, bill=bill, amount="1000.00", method="cash")


def url(payment: PatientPayment) -> str:
    return f"/api/patient-payments/{payment.pk}/refunds"


def written() -> tuple[int, int, int]:
    """Refunds, journal entries and audit entries: what a refund adds to."""
    return PatientRefund.objects.count(), JournalEntry.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("amount", ["250.00", None], ids=["part", "all"])
def test_the_same_key_twice_refunds_once_and_answers_with_the_first_refund(cashier, cash, bill, amount):
    body = {
        "reason": "Overcharged",
        "idempotency_key": "refund-9c1e",
        **({"amount": amount} if amount else {}),
    }

    first = cashier.post(url(cash), body, format="json")
    again = cashier.post(url(cash), body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    refunded = Decimal(amount or "1000.00")
    refund = PatientRefund.objects.get()
    assert (refund.pk, refund.idempotency_key, refund.amount, refund.status) == (
        first.json()["id"],
        "refund-9c1e",
        refunded,
        "processed",
    )
    cash.refresh_from_db()
    bill.refresh_from_db()
    assert (cash.amount_refunded, bill.amount_paid) == (refunded, Decimal("1000.00") - refunded)
    assert [event for event, _ in entries_for(refund)] == ["processed"]


def test_the_same_key_for_another_amount_is_a_409_and_writes_nothing(cashier, cash):
    body = {"amount": "250.00", "reason": "Overcharged", "idempotency_key": "refund-1"}
    first = cashier.post(url(cash), body, format="json")
    before = written()

    response = cashier.post(url(cash), {**body, "amount": "100.00"}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "message": "This idempotency key was already used for a different refund; use a new key for a new refund.",
        "extra": {"refund_id": first.json()["id"]},
    }
    assert written() == before
    cash.refresh_from_db()
    assert cash.amount_refunded == Decimal("250.00")


def test_the_same_key_for_another_payment_is_a_409_and_writes_nothing(cashier, cash, bill, staff_user):
    other = patient_payment_manual_record(actor=staff_user, bill=BillFactory(branch=bill.branch),
                                          amount="1000.00", method="cash")  # fmt: skip
    body = {"amount": "250.00", "reason": "Overcharged", "idempotency_key": "refund-1"}
    cashier.post(url(cash), body, format="json")
    before = written()

    response = cashier.post(url(other), body, format="json")

    assert response.status_code == 409
    assert written() == before
    other.refresh_from_db()
    assert (other.status, other.amount_refunded) == ("captured", Decimal("0.00"))


def test_without_a_key_each_post_refunds_as_before(cashier, cash):
    body = {"amount": "250.00", "reason": "Overcharged"}

    answers = [cashier.post(url(cash), body, format="json") for _ in range(2)]

    assert [answer.status_code for answer in answers] == [201, 201]
    assert list(PatientRefund.objects.values_list("amount", "idempotency_key")) == [
        (Decimal("250.00"), None),
        (Decimal("250.00"), None),
    ]
    cash.refresh_from_db()
    assert cash.amount_refunded == Decimal("500.00")


def test_another_hospital_may_use_the_same_key(cashier, cash, user_with_role):
    elsewhere = user_with_role("payments", other_hospital=True)
    chart_of_accounts_create(hospital=elsewhere.hospital)
    their_bill = BillFactory(branch=elsewhere.branches.get())
    their_cash = patient_payment_manual_record(
        actor=elsewhere, bill=their_bill, amount="1000.00", method="cash"
    )
    theirs = APIClient()
    theirs.force_authenticate(elsewhere)
    body = {"amount": "250.00", "reason": "Overcharged", "idempotency_key": "refund-1"}

    ours = cashier.post(url(cash), body, format="json")
    their = theirs.post(url(their_cash), body, format="json")

    assert (ours.status_code, their.status_code) == (201, 201)
    assert sorted(PatientRefund.objects.values_list("hospital_id", "payment_id")) == sorted(
        [(cash.hospital_id, cash.pk), (their_cash.hospital_id, their_cash.pk)]
    )
