"""/api/patient-payment/create-order and /verify: who may call them, and what bad input
or a refusing gateway leaves behind (the sandbox gateway, in-process, answers)."""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.outcomes import patient_payment_outcome_apply
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.collections.tests.support import history_of
from skinspire.core.errors import ConflictError
from skinspire.core.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_gateways")]

CREATE = {"payments": 201, "accountant": 403, "approver": 403, "gateway_admin": 403, None: 401}


@pytest.mark.parametrize("role", list(CREATE))
def test_create_order_by_role(client_as, bill, role):
    response = client_as(role).post("/api/patient-payment/create-order", {"bill_id": bill.pk}, format="json")

    assert response.status_code == CREATE[role]
    if CREATE[role] == 201:
        payment = PatientPayment.objects.get()
        body = response.json()
        assert (body["payment_id"], body["amount"], body["provider"]) == (payment.pk, "1500.00", "razorpay")
        assert body["order_id"] == payment.gateway_order_id
        assert body["checkout_url"] == "http://sandbox.testserver/sandbox/razorpay/v1/checkout/embedded"
        assert body["checkout"]["checkout_fields"]["order_id"] == body["order_id"]
        assert (payment.status, payment.created_by.groups.get().name) == ("pending", "Payments staff")
    else:
        assert PatientPayment.objects.count() == 0


def test_create_order_for_another_hospitals_bill_is_404(client_as, bill):
    response = client_as("payments", other_hospital=True).post(
        "/api/patient-payment/create-order", {"bill_id": bill.pk}, format="json"
    )

    assert response.status_code == 404
    assert PatientPayment.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"amount": "1500.01"}, 400),
        ({"amount": "0"}, 400),
        ({"amount": "1.001"}, 400),
        ({"provider": "stripe"}, 400),
        ({"bill_id": "one"}, 400),
        ({"bill_id": 2**70}, 400),
    ],
)
def test_create_order_bad_input_writes_nothing(client_as, bill, body, status):
    response = client_as("payments").post(
        "/api/patient-payment/create-order", {"bill_id": bill.pk, **body}, format="json"
    )

    assert response.status_code == status
    assert PatientPayment.objects.count() == 0


def test_a_paid_bill_gets_no_order(client_as, bill):
    bill.amount_paid, bill.status = bill.amount, "paid"
    bill.save()

    response = client_as("payments").post(
        "/api/patient-payment/create-order", {"bill_id": bill.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["message"] == f"Bill {bill.number} is already paid."
    assert PatientPayment.objects.count() == 0


def test_an_order_the_gateway_refuses_leaves_a_failed_payment(client_as, bill):
    # Razorpay takes no order under ₹1.00: refused before sending, a provable failure.
    response = client_as("payments").post(
        "/api/patient-payment/create-order", {"bill_id": bill.pk, "amount": "0.50", "provider": "razorpay"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    payment = PatientPayment.objects.get()
    assert (payment.status, payment.gateway_order_id) == ("failed", "")
    assert payment.failure_reason.startswith("The gateway refused the order:")
    assert history_of(payment) == [("pending", "failed", "applied")]


def test_no_gateway_for_collections_is_a_400_and_writes_nothing(client_as, bill, hospital):
    hospital.gateway_configurations.update(is_active=False)

    response = client_as("payments").post(
        "/api/patient-payment/create-order", {"bill_id": bill.pk}, format="json"
    )

    assert response.status_code == 400
    assert "No active gateway" in response.json()["message"]
    assert PatientPayment.objects.count() == 0


@pytest.mark.parametrize("role", ["payments", "accountant", "approver", "gateway_admin", None])
def test_verify_is_authorised_by_the_signature_not_the_caller(client_as, bill, role):
    """Whoever calls (the patient's browser is anonymous), a bad signature is refused alike."""
    payment = PatientPaymentFactory(
        bill=bill,
        gateway_order_id="order_X",
        configuration=bill.hospital.gateway_configurations.get(provider="razorpay"),
    )
    body = {"payment_id": payment.pk, "gateway_order_id": "order_X", "gateway_payment_id": "pay_X",
            "signature": "0" * 64}  # fmt: skip

    response = client_as(role).post("/api/patient-payment/verify", body, format="json")

    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_verify_of_another_hospitals_payment_with_a_wrong_signature_is_refused(client_as, bill):
    payment = PatientPaymentFactory(
        bill=bill,
        gateway_order_id="order_X",
        configuration=bill.hospital.gateway_configurations.get(provider="razorpay"),
    )
    body = {"payment_id": payment.pk, "gateway_order_id": "order_X", "signature": "f" * 64}

    response = client_as("payments", other_hospital=True).post(
        "/api/patient-payment/verify", body, format="json"
    )

    assert response.status_code == 400
    assert PatientPayment.objects.get().status == "pending"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"payment_id": "x", "gateway_order_id": "o"},
        {"payment_id": 1, "gateway_order_id": "o" * 65},
        {"payment_id": 1, "gateway_order_id": "o", "callback": "CHECKSUMHASH"},
        {"payment_id": 1, "gateway_order_id": "o", "callback": {f"k{n}": "v" for n in range(61)}},
    ],
)
def test_verify_bad_input_is_a_400(client_as, body):
    assert client_as(None).post("/api/patient-payment/verify", body, format="json").status_code == 400


def test_verify_answers_an_unknown_or_orderless_id_as_it_answers_a_bad_signature(client_as, bill):
    """Ids are sequential: if a missing payment answered otherwise than a wrong signature on a
    real one, anyone could count through them to learn which payments exist."""
    real = PatientPaymentFactory(
        bill=bill,
        gateway_order_id="order_X",
        configuration=bill.hospital.gateway_configurations.get(provider="razorpay"),
    )
    orderless = PatientPaymentFactory(bill=bill)
    missing = real.pk + 1000

    def answer(payment_id):
        body = {"payment_id": payment_id, "gateway_order_id": "order_X", "signature": "0" * 64}
        response = client_as(None).post("/api/patient-payment/verify", body, format="json")
        return response.status_code, response.json()

    message = (
        "The payment's signature does not match, so it was not accepted. If money left your "
        "account, it will be confirmed by the gateway or returned; please contact the hospital."
    )
    for payment_id in (real.pk, orderless.pk, missing):
        assert answer(payment_id) == (400, {"message": message, "extra": {"payment_id": payment_id}})
    # The bad signature on the real payment is still on record, and only that one.
    refused = AuditEntry.objects.get(action="patient_payment.verify_refused")
    assert refused.object_id == str(real.pk)
    assert PatientPayment.objects.get(pk=real.pk).status == "pending"


def test_verify_amount_mismatch_is_not_applied(client_as, bill):
    """Unit of the outcome rule: a gateway amount that differs from ours is a 409, audited, not captured."""
    payment = PatientPaymentFactory(bill=bill)
    with pytest.raises(ConflictError):
        patient_payment_outcome_apply(payment=payment, status="captured", amount=Decimal("1.00"), reason="t",
                                      event_reference="t:1")  # fmt: skip

    payment.refresh_from_db()
    assert payment.status == "pending"
    assert AuditEntry.objects.filter(action="patient_payment.amount_mismatch").count() == 1
