"""An idempotency key is unique in the hospital, so staff of one branch may reuse a key another
branch used. Their 409 names nothing of the first row (no id, nothing else they may not see);
staff who may see the first row get its id as before. Roles that may not record or refund get
their 403 whatever the key."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from skinspire.collections.models import PatientPayment, PatientRefund
from skinspire.collections.services.payments import patient_payment_manual_record
from skinspire.collections.tests.factories import BillFactory
from skinspire.core.models import AuditEntry
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import BranchFactory, UserFactory
from skinspire.ledger.models import JournalEntry

pytestmark = pytest.mark.django_db

PAYMENTS = "/api/patient-payments/manual"
TAKEN = {
    "message": "This idempotency key is already in use in your hospital; use a new key for a new {noun}.",
    "extra": {},
}


@pytest.fixture
def other_branch(hospital):
    return BranchFactory(hospital=hospital)


@pytest.fixture
def staff_of(hospital):
    def make(*branches):
        client = APIClient()
        client.force_authenticate(
            UserFactory(hospital=hospital, roles=[ROLE_PAYMENTS_STAFF], branches=branches)
        )
        return client

    return make


def written() -> tuple[int, int, int, int]:
    return (
        PatientPayment.objects.count(),
        PatientRefund.objects.count(),
        JournalEntry.objects.count(),
        AuditEntry.objects.count(),
    )


def counter_payment(client: APIClient, bill, key: str, amount: str = "1000.00"):
    body = {"bill_id": bill.pk, "amount": amount, "method": "cash", "idempotency_key": key}
    return client.post(PAYMENTS, body, format="json")


def test_a_key_another_branch_used_for_a_payment_is_a_409_that_names_nothing(staff_of, branch, other_branch):
    first = counter_payment(staff_of(branch), BillFactory(branch=branch), "desk-1")
    before = written()

    # The very same request too: its answer must not tell a same request from another one.
    for amount in ("1000.00", "700.00"):
        reused = counter_payment(staff_of(other_branch), BillFactory(branch=other_branch), "desk-1", amount)

        assert first.status_code == 201
        assert (reused.status_code, reused.json()) == (
            409,
            {**TAKEN, "message": TAKEN["message"].format(noun="payment")},
        )
        assert str(first.json()["id"]) not in reused.content.decode()
        assert first.json()["reference"] not in reused.content.decode()
    assert written() == before


def test_staff_who_see_the_first_payment_are_told_its_id(staff_of, branch, other_branch):
    first = counter_payment(staff_of(branch), BillFactory(branch=branch), "desk-1")

    reused = counter_payment(staff_of(branch, other_branch), BillFactory(branch=other_branch), "desk-1")

    assert reused.status_code == 409
    assert reused.json()["extra"] == {"payment_id": first.json()["id"]}


def test_another_branchs_bill_named_with_the_key_is_not_found_as_without_it(staff_of, branch, other_branch):
    bill = BillFactory(branch=branch)
    counter_payment(staff_of(branch), bill, "desk-1")

    with_key = counter_payment(staff_of(other_branch), bill, "desk-1")
    without = staff_of(other_branch).post(
        PAYMENTS, {"bill_id": bill.pk, "amount": "1000.00", "method": "cash"}, format="json"
    )

    assert (with_key.status_code, with_key.json()) == (without.status_code, without.json())
    assert with_key.status_code == 404


@pytest.mark.parametrize("role", ["approver", "accountant", "gateway_admin"])
def test_roles_that_do_not_record_payments_get_403_and_no_id(client_as, bill, role):
    first = counter_payment(client_as("payments"), bill, "desk-1")

    reused = counter_payment(client_as(role), bill, "desk-1", "700.00")

    assert reused.status_code == 403
    assert str(first.json()["id"]) not in reused.content.decode()


def refund(client: APIClient, payment: PatientPayment, key: str, amount: str = "100.00"):
    body = {"amount": amount, "reason": "Charged twice", "idempotency_key": key}
    return client.post(f"/api/patient-payments/{payment.pk}/refunds", body, format="json")


@pytest.fixture
def two_payments(hospital, branch, other_branch):
    recorder = UserFactory(hospital=hospital, roles=[ROLE_PAYMENTS_STAFF], branches=[branch, other_branch])
    return [
        patient_payment_manual_record(
            actor=recorder, bill=BillFactory(branch=place), amount=Decimal("1000.00"), method="cash"
        )
        for place in (branch, other_branch)
    ]


def test_a_key_another_branch_used_for_a_refund_is_a_409_that_names_nothing(
    staff_of, branch, other_branch, two_payments
):
    ours, theirs = two_payments
    first = refund(staff_of(branch), ours, "refund-1")
    before = written()

    reused = refund(staff_of(other_branch), theirs, "refund-1")

    assert first.status_code == 201
    assert (reused.status_code, reused.json()) == (
        409,
        {**TAKEN, "message": TAKEN["message"].format(noun="refund")},
    )
    assert str(first.json()["id"]) not in reused.content.decode()
    assert written() == before
    # Staff of both branches see the first refund, so they are told its id.
    both = refund(staff_of(branch, other_branch), theirs, "refund-1")
    assert (both.status_code, both.json()["extra"]) == (409, {"refund_id": first.json()["id"]})
