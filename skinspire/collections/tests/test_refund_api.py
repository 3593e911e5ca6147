"""/api/patient-payments/<id>/refunds by role, across hospitals, and with bad input."""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientRefund
from skinspire.collections.services.payments import patient_payment_manual_record

pytestmark = pytest.mark.django_db

CREATE = {"payments": 201, "accountant": 403, "approver": 403, "gateway_admin": 403, None: 401}
READ = {"payments": 200, "accountant": 200, "approver": 403, "gateway_admin": 403, None: 401}


@pytest.fixture
def cash(bill, staff_user):
    return patient_payment_manual_record(actor=staff_user, bill=bill, amount="1000.00", method="cash")


@pytest.mark.parametrize("role", list(CREATE))
def test_refund_by_role(client_as, cash, role):
    response = client_as(role).post(
        f"/api/patient-payments/{cash.pk}/refunds",
        {"amount": "250.00", "reason": "Overcharged"},
        format="json",
    )

    assert response.status_code == CREATE[role]
    if CREATE[role] == 201:
        assert (response.json()["status"], response.json()["amount"]) == ("processed", "250.00")
        assert PatientRefund.objects.get().requested_by.groups.get().name == "Payments staff"
    else:
        assert PatientRefund.objects.count() == 0


@pytest.mark.parametrize("role", list(READ))
def test_list_by_role(client_as, cash, staff_user, role):
    client_as("payments").post(f"/api/patient-payments/{cash.pk}/refunds", {"reason": "All"}, format="json")

    response = client_as(role).get(f"/api/patient-payments/{cash.pk}/refunds")

    assert response.status_code == READ[role]
    if READ[role] == 200:
        assert [(item["amount"], item["reason"]) for item in response.json()] == [("1000.00", "All")]


@pytest.mark.parametrize("role", ["payments", "accountant"])
def test_another_hospital_gets_404(client_as, cash, role):
    client = client_as(role, other_hospital=True)

    assert client.get(f"/api/patient-payments/{cash.pk}/refunds").status_code == 404
    posted = client.post(f"/api/patient-payments/{cash.pk}/refunds", {"reason": "x"}, format="json")
    assert posted.status_code == 404 if role == "payments" else 403
    assert PatientRefund.objects.count() == 0


def test_more_than_is_left_is_a_409(client_as, cash):
    response = client_as("payments").post(
        f"/api/patient-payments/{cash.pk}/refunds", {"amount": "1000.01", "reason": "x"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["extra"]["refundable"] == "1000.00"
    assert PatientRefund.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"reason": ""},
        {"reason": "x" * 501},
        {"reason": "x", "amount": "1.001"},
        {"reason": "x", "amount": "0"},
    ],
)
def test_bad_input_is_a_400(client_as, cash, body):
    response = client_as("payments").post(f"/api/patient-payments/{cash.pk}/refunds", body, format="json")

    assert response.status_code == 400
    assert PatientRefund.objects.count() == 0
    cash.refresh_from_db()
    assert cash.amount_refunded == Decimal("0")
