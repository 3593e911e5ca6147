"""`POST /api/patient-payments/manual` with an idempotency key: a retry or a double submit
records the money once. The same key again answers 200 with the first payment; the same key
with another bill, amount or method is a 409 that writes nothing; no key records each time,
as before; another hospital's keys are its own."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory
from skinspire.collections.tests.support import entries_for
from skinspire.core.models import AuditEntry
from skinspire.ledger.models import JournalEntry
from skinspire.ledger.services import chart_of_accounts_create

pytestmark = pytest.mark.django_db

URL = "/api/patient-payments/manual"


@pytest.fixture
def cashier(client_as) -> APIClient:
    return client_as("payments")


def written() -> tuple[int, int, int]:
    """Payments, journal entries and audit entries: what recording a payment adds to."""
    return PatientPayment.objects.count(), JournalEntry.objects.count(), AuditEntry.objects.count()


def test_the_same_key_twice_records_one_payment_and_answers_with_it_again(cashier, bill):
    body = {"bill_id": bill.pk, "amount": "1500.00", "method": "cash", "idempotency_key": "counter-7f3a"}

    first = cashier.post(URL, body, format="json")
    again = cashier.post(URL, body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    payment = PatientPayment.objects.get()
    assert (payment.pk, payment.idempotency_key, payment.amount) == (
        first.json()["id"],
        "counter-7f3a",
        Decimal("1500.00"),
    )
    bill.refresh_from_db()
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "paid")
    assert [event for event, _ in entries_for(payment)] == ["received"]


@pytest.mark.parametrize("field", ["amount", "method", "bill_id"])
def test_the_same_key_for_another_payment_is_a_409_and_writes_nothing(cashier, bill, branch, field):
    other = BillFactory(branch=branch)
    body = {"bill_id": bill.pk, "amount": "1000.00", "method": "cash", "idempotency_key": "counter-1"}
    first = cashier.post(URL, body, format="json")
    before = written()

    changed = {**body, field: {"amount": "500.00", "method": "card_swipe", "bill_id": other.pk}[field]}
    response = cashier.post(URL, changed, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "message": "This idempotency key was already used for a different payment; "
        "use a new key for a new payment.",
        "extra": {"payment_id": first.json()["id"]},
    }
    assert written() == before
    bill.refresh_from_db()
    other.refresh_from_db()
    assert (bill.amount_paid, other.amount_paid) == (Decimal("1000.00"), Decimal("0.00"))


def test_without_a_key_each_post_records_a_payment_as_before(cashier, bill):
    body = {"bill_id": bill.pk, "amount": "500.00", "method": "cash"}

    answers = [cashier.post(URL, body, format="json") for _ in range(2)]

    assert [answer.status_code for answer in answers] == [201, 201]
    assert list(PatientPayment.objects.order_by("pk").values_list("amount", "idempotency_key")) == [
        (Decimal("500.00"), None),
        (Decimal("500.00"), None),
    ]
    bill.refresh_from_db()
    assert bill.amount_paid == Decimal("1000.00")


def test_a_blank_key_is_refused(cashier, bill):
    body = {"bill_id": bill.pk, "amount": "500.00", "method": "cash", "idempotency_key": ""}

    response = cashier.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["idempotency_key"] == ["This field may not be blank."]
    assert PatientPayment.objects.count() == 0


def test_another_hospital_may_use_the_same_key(cashier, client_as, user_with_role, bill):
    elsewhere = user_with_role("payments", other_hospital=True)
    chart_of_accounts_create(hospital=elsewhere.hospital)
    their_bill = BillFactory(branch=elsewhere.branches.get())
    theirs = APIClient()
    theirs.force_authenticate(elsewhere)
    key = {"amount": "1500.00", "method": "cash", "idempotency_key": "counter-1"}

    ours = cashier.post(URL, {"bill_id": bill.pk, **key}, format="json")
    their = theirs.post(URL, {"bill_id": their_bill.pk, **key}, format="json")

    assert (ours.status_code, their.status_code) == (201, 201)
    assert sorted(PatientPayment.objects.values_list("hospital_id", "bill_id")) == sorted(
        [(bill.hospital_id, bill.pk), (their_bill.hospital_id, their_bill.pk)]
    )
