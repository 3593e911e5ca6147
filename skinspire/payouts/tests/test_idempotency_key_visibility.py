"""A supplier payment's idempotency key is unique in the hospital, and a payment may belong to a
branch (a retry keeps its failed payment's). Staff who may not see the first payment get a 409
that names nothing of it, even for the very same request (which used to answer as a replay,
then a 404); a batch row says only that its reference is taken. Staff who see it are told its
id, or its reference, as before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from skinspire.core.models import AuditEntry
from skinspire.core.roles import ROLE_ACCOUNTANT, ROLE_PAYMENT_APPROVER, ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import BranchFactory, UserFactory
from skinspire.payouts.models import PayoutBatch, SupplierPayment
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.tests.factories import bank_account

pytestmark = pytest.mark.django_db

MANUAL = "/api/payouts/payments/manual"
TAKEN = {
    "message": "This idempotency key is already in use in your hospital; use a new key for a new payment.",
    "extra": {},
}


@pytest.fixture
def other_branch(hospital):
    return BranchFactory(hospital=hospital)


@pytest.fixture
def first(supplier, maker, branch) -> SupplierPayment:
    """A cheque recorded for the maker's branch under the key "batch:R-1"."""
    request = PaymentRequest(
        supplier=supplier, amount="250.00", method="manual", mode="cheque", branch=branch,
        idempotency_key="batch:R-1",
    )  # fmt: skip
    payment, created = supplier_payment_create(request=request, maker=maker)
    assert created
    return payment


def client_of(hospital, *branches, role=ROLE_PAYMENTS_STAFF):
    client = APIClient()
    client.force_authenticate(UserFactory(hospital=hospital, roles=[role], branches=branches))
    return client


def manual(client: APIClient, supplier, amount: str):
    body = {"supplier_id": supplier.pk, "amount": amount, "mode": "cheque", "idempotency_key": "batch:R-1"}
    return client.post(MANUAL, body, format="json")


def written() -> tuple[int, int]:
    return SupplierPayment.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("amount", ["250.00", "300.00"], ids=["same request", "another request"])
def test_staff_of_another_branch_reusing_the_key_get_a_409_that_names_nothing(
    chart, hospital, supplier, first, other_branch, amount
):
    before = written()

    reused = manual(client_of(hospital, other_branch), supplier, amount)

    assert (reused.status_code, reused.json()) == (409, TAKEN)
    assert str(first.pk) not in reused.content.decode()
    assert first.reference not in reused.content.decode()
    assert written() == before


def test_staff_who_see_the_first_payment_are_told_its_id(
    chart, hospital, supplier, first, branch, other_branch
):
    for client in (client_of(hospital, branch), client_of(hospital, other_branch, branch)):
        reused = manual(client, supplier, "300.00")

        assert reused.status_code == 409
        assert reused.json()["extra"] == {"payment_id": first.pk}


@pytest.mark.parametrize("role", [ROLE_PAYMENT_APPROVER, ROLE_ACCOUNTANT])
def test_roles_that_do_not_pay_get_403_and_no_id(chart, hospital, supplier, first, branch, role):
    reused = manual(client_of(hospital, branch, role=role), supplier, "300.00")

    assert reused.status_code == 403
    assert str(first.pk) not in reused.content.decode()


def upload_row(client: APIClient, supplier, reference: str):
    account = bank_account(supplier)
    text = f"supplier,account,amount,mode,invoices,reference\n{supplier.name},{account.pk},100.00,neft,,{reference}"
    file = SimpleUploadedFile("rows.csv", text.encode(), content_type="text/csv")
    return client.post("/api/payouts/batches/", {"file": file, "name": "December"}, format="multipart")


def test_a_batch_row_names_the_payment_holding_its_reference_only_to_who_may_see_it(
    configuration, chart, hospital, supplier, first, branch, other_branch
):
    elsewhere = upload_row(client_of(hospital, other_branch), supplier, "R-1")
    here = upload_row(client_of(hospital, branch), supplier, "R-1")

    assert elsewhere.status_code == here.status_code == 400
    assert elsewhere.json()["extra"]["rows"] == {"2": ["Reference R-1 was already used."]}
    assert here.json()["extra"]["rows"] == {
        "2": [f"Reference R-1 was already used (payment {first.reference})."]
    }
    assert first.reference not in elsewhere.content.decode()
    assert not PayoutBatch.objects.exists()
