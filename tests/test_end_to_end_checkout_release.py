"""Releasing an abandoned Pay online, end to end on the sandbox: staff release the order on
the workspace page and the bill may be asked for its money again at once; money the patient
still pays on the released order lands (through the webhook inbox, or the status sync when
the webhook is lost) and shows as the excess to refund once the bill is covered; an order
the patient did pay is recorded, not released."""

import io
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.overpaid import bill_overpaid_refund
from skinspire.collections.tests.support import entries_for, history_of
from skinspire.core.models import StatusTransition
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.webhooks.status_sync import status_sync_run
from skinspire.sandbox import demo
from skinspire.sandbox.models import SandboxMerchant
from tests import collections_support as support
from tests.collections_support import create_order, pay_paytm, pay_razorpay

pytestmark = pytest.mark.django_db

PAY: dict[str, Callable[[dict], dict]] = {"razorpay": pay_razorpay, "paytm": pay_paytm}


@pytest.fixture
def bill(hospital):
    demo.seed(hospital=hospital, out=io.StringIO())  # webhooks to the site's own inbox
    return support.bill_in_demo_hospital(hospital)


@pytest.fixture
def person(bill):
    return UserFactory(hospital=bill.hospital, roles=[ROLE_PAYMENTS_STAFF], branches=[bill.branch])


@pytest.fixture
def staff(api_client, person):
    api_client.force_authenticate(person)
    return api_client


@pytest.fixture
def desk(person) -> Client:
    page = Client()
    page.force_login(person)
    return page


def release(desk: Client, payment_id: int):
    return desk.post(
        f"/workspace/patient-payments/{payment_id}/release", {"reason": "Patient gave up", "confirm": "1"}
    )


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_a_released_order_frees_the_bill_at_once(staff, desk, bill, provider):
    order = create_order(staff, bill, provider, amount="2500.00")
    blocked = staff.post("/api/patient-payment/create-order", {"bill_id": bill.pk}, format="json")
    assert blocked.status_code == 409

    released = release(desk, order["payment_id"])

    assert released.status_code == 200
    assert "released: ₹2,500.00 of bill" in released.content.decode()
    again = create_order(staff, bill, provider, amount="2500.00")
    assert again["payment_id"] != order["payment_id"]


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_money_paid_after_the_release_lands_and_shows_as_excess(
    staff, desk, bill, provider, django_capture_on_commit_callbacks
):
    order = create_order(staff, bill, provider, amount="2500.00")
    assert release(desk, order["payment_id"]).status_code == 200
    counter = staff.post("/api/patient-payments/manual",
                         {"bill_id": bill.pk, "amount": "2500.00", "method": "cash"}, format="json")  # fmt: skip
    assert counter.status_code == 201, counter.content

    with django_capture_on_commit_callbacks(execute=True):
        PAY[provider](order)  # the patient comes back to the gateway's page and pays; its webhook lands

    payment = PatientPayment.objects.get(pk=order["payment_id"])
    bill.refresh_from_db()
    # Captured, and no longer marked released: the release is in its history only.
    assert (payment.status, payment.failure_code, payment.failure_reason) == ("captured", "", "")
    assert [row for row in history_of(payment) if row[2] == "applied"] == [
        ("pending", "failed", "applied"),
        ("failed", "captured", "applied"),
    ]
    released = StatusTransition.objects.get(object_id=str(payment.pk), content_type__model="patientpayment",
                                            to_state="failed", outcome="applied")  # fmt: skip
    assert released.reason.startswith("Released at the counter")
    assert len(entries_for(payment)) == 1
    assert (bill.amount_paid, bill.status) == (Decimal("5000.00"), "paid")
    overpaid = bill_overpaid_refund(bill=bill)
    assert overpaid is not None and overpaid.excess == Decimal("2500.00")
    page = desk.get(f"/workspace/bills/{bill.pk}/").content.decode()
    assert "This bill has received <strong>₹2,500.00</strong> more than it is for." in page


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_with_its_webhook_lost_the_status_sync_records_money_on_a_released_order(
    staff, desk, bill, provider, django_capture_on_commit_callbacks
):
    SandboxMerchant.objects.update(webhook_url="")  # only the status sync can find out
    order = create_order(staff, bill, provider)
    assert release(desk, order["payment_id"]).status_code == 200
    PAY[provider](order)

    with django_capture_on_commit_callbacks(execute=True):
        status_sync_run(now=timezone.now() + timedelta(hours=1))

    payment = PatientPayment.objects.get(pk=order["payment_id"])
    bill.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("captured", "")
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "partly_paid")


def test_an_order_the_patient_paid_is_recorded_when_staff_try_to_release_it(staff, desk, bill):
    SandboxMerchant.objects.update(webhook_url="")  # paid, but nothing has told us yet
    order = create_order(staff, bill, "razorpay")
    pay_razorpay(order)

    response = release(desk, order["payment_id"])

    assert response.status_code == 200
    assert "The patient has paid ₹1,500.00" in response.content.decode()
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    assert (payment.status, payment.failure_code) == ("captured", "")
    assert len(entries_for(payment)) == 1
