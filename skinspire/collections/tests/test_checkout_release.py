"""Releasing an online payment the patient gave up on (services/checkout_release.py): the
gateway is asked first; nothing paid, the order stops counting against the bill at once,
with its history and an audit entry naming who and why; paid, it is recorded instead; no
answer, nothing is released. The sandbox answers in-process."""

from decimal import Decimal

import pytest
import requests

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.checkout_release import (
    RELEASED_CODE,
    ReleaseUnansweredError,
    patient_payment_checkout_release,
)
from skinspire.collections.tests.support import history_of, link_create
from skinspire.core import testing
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.models import AuditEntry
from tests.collections_support import pay_razorpay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_gateways")]


@pytest.fixture
def person(user_with_role):
    return user_with_role("payments")


@pytest.fixture
def staff(client_as):
    return client_as("payments")


def order_create(staff, bill, provider: str = "razorpay", **body) -> dict:
    response = staff.post(
        "/api/patient-payment/create-order", {"bill_id": bill.pk, "provider": provider, **body}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


class GatewayUnreachable(testing.DjangoInProcessAdapter):
    """Every call after the order was made fails before it reaches the gateway."""

    def send(self, request, *args, **kwargs):
        raise requests.exceptions.ConnectionError("connection refused", request=request)


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_an_order_nobody_paid_is_released_and_the_bill_may_be_asked_again(staff, person, bill, provider):
    order = order_create(staff, bill, provider)
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    assert link_create(staff, bill).status_code == 409  # it counts until released

    outcome = patient_payment_checkout_release(payment=payment, actor=person, reason="Patient left  the desk")

    payment.refresh_from_db()
    assert outcome.released
    assert outcome.message == (
        f"Online payment {payment.reference} released: ₹1,500.00 of bill {bill.number} may be asked for again. "
        "If the patient still pays it, the money is recorded and any excess shown for a refund."
    )
    assert (payment.status, payment.failure_code) == ("failed", RELEASED_CODE)
    assert payment.failure_reason == f"Released by {person.username}: Patient left the desk"
    assert history_of(payment) == [("pending", "failed", "applied")]
    entry = AuditEntry.objects.get(action="patient_payment.checkout_released")
    assert (entry.actor, entry.object_id) == (person, str(payment.pk))
    assert entry.changes == {"status": {"from": "pending", "to": "failed"}}
    assert entry.message == (
        f"Online payment {payment.reference} (₹1,500.00) released: Patient left the desk. "
        f"The gateway showed no payment on order {payment.gateway_order_id}."
    )
    again = order_create(staff, bill, provider)
    assert again["amount"] == "1500.00"


def test_an_order_the_patient_paid_is_recorded_not_released(staff, person, bill):
    order = order_create(staff, bill)
    pay_razorpay(order)  # no return, no webhook: only the gateway knows

    outcome = patient_payment_checkout_release(
        payment=PatientPayment.objects.get(pk=order["payment_id"]), actor=person, reason="Patient left"
    )

    payment = outcome.payment
    bill.refresh_from_db()
    assert not outcome.released
    assert (
        outcome.message
        == f"The patient has paid ₹1,500.00 on {payment.reference}; it is recorded, not released."
    )
    assert (payment.status, payment.failure_code) == ("captured", "")
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "paid")
    assert not AuditEntry.objects.filter(action="patient_payment.checkout_released").exists()


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_when_the_gateway_cannot_answer_nothing_is_released(staff, person, bill, provider, monkeypatch):
    order = order_create(staff, bill, provider)
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    monkeypatch.setattr(testing, "DjangoInProcessAdapter", GatewayUnreachable)

    with pytest.raises(ReleaseUnansweredError) as refused:
        patient_payment_checkout_release(payment=payment, actor=person, reason="Patient left")

    assert refused.value.status_code == 502
    assert refused.value.message.startswith(
        f"The gateway could not say whether the patient paid {payment.reference} ("
    )
    assert refused.value.message.endswith(
        "so it was not released: releasing it blind could ask the patient to pay twice. Try again in a minute."
    )
    payment.refresh_from_db()
    assert (payment.status, history_of(payment)) == ("pending", [])
    assert not AuditEntry.objects.filter(action="patient_payment.checkout_released").exists()
    monkeypatch.undo()
    assert link_create(staff, bill).status_code == 409  # still counts


def test_a_reason_is_required(staff, person, bill):
    payment = PatientPayment.objects.get(pk=order_create(staff, bill)["payment_id"])

    with pytest.raises(ApplicationError) as refused:
        patient_payment_checkout_release(payment=payment, actor=person, reason="   ")

    assert refused.value.message == "Say why the online payment is released (for the audit log)."
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_a_payment_no_longer_being_made_is_not_released(staff, person, bill):
    payment = PatientPayment.objects.get(pk=order_create(staff, bill)["payment_id"])
    patient_payment_checkout_release(payment=payment, actor=person, reason="Patient left")

    with pytest.raises(ConflictError) as refused:
        patient_payment_checkout_release(payment=payment, actor=person, reason="Again")

    assert refused.value.message == (
        f"Payment {payment.reference} is not an online payment being made (failed), so there is nothing to release."
    )
    assert AuditEntry.objects.filter(action="patient_payment.checkout_released").count() == 1


def test_a_lost_order_the_gateway_never_received_is_released(staff, person, bill):
    payment = PatientPayment.objects.get(pk=order_create(staff, bill)["payment_id"])
    # As if the create's answer was lost and the gateway never made the order.
    from skinspire.sandbox.models import SandboxObject

    SandboxObject.objects.filter(entity="order").delete()
    PatientPayment.objects.filter(pk=payment.pk).update(gateway_order_id="")
    payment.refresh_from_db()

    outcome = patient_payment_checkout_release(payment=payment, actor=person, reason="Order never made")

    assert outcome.released
    assert outcome.payment.status == "failed"
