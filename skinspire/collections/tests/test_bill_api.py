"""/api/bills: who may list, read, create and update bills, and what bad input gets."""

from decimal import Decimal

import pytest

from skinspire.collections.models import Bill, Patient
from skinspire.collections.tests.factories import BillFactory
from skinspire.core.tests.factories import BranchFactory

pytestmark = pytest.mark.django_db

READ_STATUS = {"payments": 200, "accountant": 200, "approver": 403, "gateway_admin": 403, None: 401}
WRITE_STATUS = {"payments": 201, "accountant": 403, "approver": 403, "gateway_admin": 403, None: 401}


def new_bill(branch, **overrides) -> dict:
    body = {
        "number": "OPD-2026-0042",
        "branch_id": branch.pk,
        "patient": {"patient_number": "UHID-9", "name": "Asha Rao", "phone": "+919876543210",
                    "email": "asha@patients.example"},
        "category": "consultation",
        "amount": "1500.50",
        "due_date": "2026-12-31",
    }  # fmt: skip
    return {**body, **overrides}


@pytest.mark.parametrize("role", list(READ_STATUS))
def test_list_and_detail_by_role(client_as, bill, role):
    client = client_as(role)

    listed = client.get("/api/bills")
    detail = client.get(f"/api/bills/{bill.pk}")

    assert (listed.status_code, detail.status_code) == (READ_STATUS[role], READ_STATUS[role])
    if READ_STATUS[role] == 200:
        assert [item["id"] for item in listed.json()["results"]] == [bill.pk]
        assert detail.json()["number"] == bill.number
        assert detail.json()["amount"] == "1500.00"
        assert detail.json()["amount_open"] == "1500.00"
        assert detail.json()["patient"]["patient_number"] == bill.patient.patient_number


@pytest.mark.parametrize("role", ["payments", "accountant"])
def test_another_hospitals_staff_see_nothing_and_get_404(client_as, bill, role):
    client = client_as(role, other_hospital=True)

    assert client.get("/api/bills").json()["results"] == []
    assert client.get(f"/api/bills/{bill.pk}").status_code == 404
    response = client_as("payments", other_hospital=True).patch(
        f"/api/bills/{bill.pk}", {"amount": "1.00"}, format="json"
    )
    assert response.status_code == 404
    bill.refresh_from_db()
    assert bill.amount == Decimal("1500.00")


@pytest.mark.parametrize("role", list(WRITE_STATUS))
def test_create_by_role(client_as, branch, role):
    response = client_as(role).post("/api/bills", new_bill(branch), format="json")

    assert response.status_code == WRITE_STATUS[role]
    if response.status_code == 201:
        bill = Bill.objects.get()
        assert response.json()["id"] == bill.pk
        assert (bill.number, bill.branch, bill.hospital, bill.amount, bill.status) == (
            "OPD-2026-0042",
            branch,
            branch.hospital,
            Decimal("1500.50"),
            "unpaid",
        )
        assert (bill.patient.name, bill.patient.hospital) == ("Asha Rao", branch.hospital)
    else:
        assert Bill.objects.count() == 0
        assert Patient.objects.count() == 0


def test_create_in_a_branch_that_is_not_yours_is_refused(client_as):
    elsewhere = BranchFactory()

    response = client_as("payments").post("/api/bills", new_bill(elsewhere), format="json")

    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {"branch_id": ["No such branch among yours."]}
    assert Bill.objects.count() == 0


def test_the_same_number_twice_is_a_conflict_naming_the_first(client_as, branch):
    client = client_as("payments")
    first = client.post("/api/bills", new_bill(branch), format="json")

    second = client.post("/api/bills", new_bill(branch, amount="99.00"), format="json")

    assert second.status_code == 409
    assert second.json()["extra"] == {"bill_id": first.json()["id"], "number": "OPD-2026-0042"}
    assert Bill.objects.get().amount == Decimal("1500.50")


@pytest.mark.parametrize(
    "overrides",
    [
        {"amount": "0.00"},
        {"amount": "12.345"},
        {"amount": "-5"},
        {"amount": "1e9999"},
        {"amount": "NaN"},
        {"category": "bribe"},
        {"number": ""},
        {"number": "../../etc"},
        {"branch_id": "x"},
        {"branch_id": 10**12},
        {"due_date": "31/12/2026"},
        {"patient": {"patient_number": "U1"}},
        {"patient": {"patient_number": "U1", "name": "A", "email": "not-an-email"}},
        {"patient": "Asha"},
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(client_as, branch, overrides):
    response = client_as("payments").post("/api/bills", new_bill(branch, **overrides), format="json")

    assert response.status_code == 400
    assert response.json()["message"] == "Please correct the errors below."
    assert Bill.objects.count() == 0
    assert Patient.objects.count() == 0


@pytest.mark.parametrize(("role", "expected"), [("payments", 200), ("accountant", 403), ("approver", 403),
                                                ("gateway_admin", 403), (None, 401)])  # fmt: skip
def test_update_by_role(client_as, bill, role, expected):
    response = client_as(role).patch(
        f"/api/bills/{bill.pk}", {"amount": "1750.00", "due_date": "2027-01-15"}, format="json"
    )

    assert response.status_code == expected
    bill.refresh_from_db()
    if expected == 200:
        assert response.json()["amount"] == "1750.00"
        assert (bill.amount, str(bill.due_date)) == (Decimal("1750.00"), "2027-01-15")
    else:
        assert (bill.amount, bill.due_date) == (Decimal("1500.00"), None)


def test_update_below_the_paid_amount_is_a_400(client_as, branch):
    bill = BillFactory(branch=branch, amount_paid=Decimal("500.00"), status="partly_paid")

    response = client_as("payments").patch(f"/api/bills/{bill.pk}", {"amount": "499.99"}, format="json")

    assert response.status_code == 400
    assert response.json()["extra"] == {"fields": {"amount": ["At least 500.00."]}}


def test_unknown_bill_is_404(client_as):
    assert client_as("payments").get("/api/bills/999999").status_code == 404
    assert client_as("payments").get(f"/api/bills/{10**20}").status_code == 404
