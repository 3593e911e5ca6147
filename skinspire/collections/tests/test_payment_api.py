"""/api/patient-payments: list, read, and counter collections, by role."""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core.tests.factories import BranchFactory

pytestmark = pytest.mark.django_db

READ = {"payments": 200, "accountant": 200, "approver": 403, "gateway_admin": 403, None: 401}
WRITE = {"payments": 201, "accountant": 403, "approver": 403, "gateway_admin": 403, None: 401}


@pytest.mark.parametrize("role", list(READ))
def test_list_and_detail_by_role(client_as, bill, role):
    payment = PatientPaymentFactory(bill=bill)
    client = client_as(role)

    listed = client.get("/api/patient-payments", {"bill_id": bill.pk})
    detail = client.get(f"/api/patient-payments/{payment.pk}")

    assert (listed.status_code, detail.status_code) == (READ[role], READ[role])
    if READ[role] == 200:
        assert [item["reference"] for item in listed.json()["results"]] == [payment.reference]
        assert detail.json()["bill_number"] == bill.number
        assert (detail.json()["amount"], detail.json()["status"]) == ("1500.00", "pending")


def test_the_bill_filter_narrows_the_list(client_as, branch, bill):
    PatientPaymentFactory(bill=bill)
    other = PatientPaymentFactory(bill=BillFactory(branch=branch))

    response = client_as("payments").get("/api/patient-payments", {"bill_id": other.bill_id})

    assert [item["id"] for item in response.json()["results"]] == [other.pk]


@pytest.mark.parametrize("role", ["payments", "accountant"])
def test_another_hospital_sees_nothing(client_as, bill, role):
    payment = PatientPaymentFactory(bill=bill)
    client = client_as(role, other_hospital=True)

    assert client.get("/api/patient-payments").json()["results"] == []
    assert client.get(f"/api/patient-payments/{payment.pk}").status_code == 404


@pytest.mark.parametrize("role", list(WRITE))
def test_manual_collection_by_role(client_as, bill, role):
    body = {"bill_id": bill.pk, "amount": "500.00", "method": "cheque", "instrument_reference": "000777"}

    response = client_as(role).post("/api/patient-payments/manual", body, format="json")

    assert response.status_code == WRITE[role]
    bill.refresh_from_db()
    if WRITE[role] == 201:
        assert (response.json()["status"], response.json()["method"]) == ("captured", "cheque")
        assert (bill.amount_paid, bill.status) == (Decimal("500.00"), "partly_paid")
    else:
        assert PatientPayment.objects.count() == 0
        assert bill.amount_paid == Decimal("0")


def test_manual_collection_on_another_hospitals_bill_is_404(client_as, bill):
    body = {"bill_id": bill.pk, "amount": "500.00", "method": "cash"}

    response = client_as("payments", other_hospital=True).post(
        "/api/patient-payments/manual", body, format="json"
    )

    assert response.status_code == 404
    assert PatientPayment.objects.count() == 0


def test_manual_collection_on_a_branch_not_yours_is_404(client_as, hospital):
    elsewhere = BillFactory(branch=BranchFactory(hospital=hospital))

    response = client_as("payments").post(
        "/api/patient-payments/manual",
        {"bill_id": elsewhere.pk, "amount": "1.00", "method": "cash"},
        format="json",
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    "overrides",
    [{"amount": "1500.01"}, {"amount": "0"}, {"amount": "1.001"}, {"amount": "1e400"}, {"method": "upi"},
     {"bill_id": -1}, {"bill_id": "abc"}, {"instrument_reference": "x" * 65}],
)  # fmt: skip
def test_bad_input_is_a_400_and_writes_nothing(client_as, bill, overrides):
    body = {"bill_id": bill.pk, "amount": "500.00", "method": "cash", **overrides}

    response = client_as("payments").post("/api/patient-payments/manual", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}
    assert PatientPayment.objects.count() == 0


def test_bad_list_filter_is_a_400(client_as):
    assert client_as("payments").get("/api/patient-payments", {"bill_id": "x"}).status_code == 400
