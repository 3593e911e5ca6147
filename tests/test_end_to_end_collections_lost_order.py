"""A create-order whose answer is lost: the sandbox creates the order, and the network loses
its answer (a read timeout after the gateway acted, as tests/…/contract/wire.py plays it for
the adapters). The payment is left pending with no order id; the status sync then learns the
order from the gateway by our reference (Razorpay: GET /v1/orders?receipt=; Paytm: our
reference is its orderId), and the payment goes on like any other: paid, it is captured. A
create that never reached the gateway leaves no order there, and the payment fails."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
from django.utils import timezone

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.order_recovery import NEVER_CREATED
from skinspire.collections.tests.support import entries_for
from skinspire.core import testing
from skinspire.gateways.webhooks.status_sync import status_sync_run
from skinspire.sandbox import demo
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from tests import collections_support as support
from tests import e2e_support as e2e
from tests.collections_support import pay_razorpay

pytestmark = pytest.mark.django_db

CREATE_PATHS = ("/v1/orders", "/theia/api/v1/initiateTransaction")


class AnswerLostAfterCreate(testing.DjangoInProcessAdapter):
    """The sandbox acts on a create-order; its answer never arrives (read timeout)."""

    def send(self, request, *args, **kwargs):
        response = super().send(request, *args, **kwargs)
        if request.method == "POST" and (request.path_url or "").split("?")[0].endswith(CREATE_PATHS):
            raise requests.exceptions.ReadTimeout("read timed out", request=request)
        return response


@pytest.fixture
def bill(hospital):
    demo.seed(hospital=hospital, out=io.StringIO())
    SandboxMerchant.objects.update(webhook_url="")  # only the status sync can find out
    return support.bill_in_demo_hospital(hospital)


@pytest.fixture
def staff(api_client, bill):
    return support.staff_client(api_client, bill)


def create_with_lost_answer(staff, bill, provider: str, monkeypatch) -> PatientPayment:
    with monkeypatch.context() as patched:
        patched.setattr(testing, "DjangoInProcessAdapter", AnswerLostAfterCreate)
        response = staff.post("/api/patient-payment/create-order",
                              {"bill_id": bill.pk, "amount": "1500.00", "provider": provider}, format="json")  # fmt: skip
    assert response.status_code == 504, response.content
    payment = PatientPayment.objects.get()
    assert (payment.status, payment.gateway_order_id) == ("pending", "")
    return payment


def sync_later(django_capture_on_commit_callbacks, hours: float = 1) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        return status_sync_run(now=timezone.now() + timedelta(hours=hours))


def test_razorpay_lost_order_is_found_by_receipt_and_its_payment_captured(
    staff, bill, monkeypatch, django_capture_on_commit_callbacks
):
    payment = create_with_lost_answer(staff, bill, "razorpay", monkeypatch)
    order = SandboxObject.objects.get(entity="order")
    assert order.body["receipt"] == payment.reference

    sync_later(django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_order_id) == ("pending", order.object_id)

    # The order can now be paid (e.g. staff reopen it) and the sync finishes the payment.
    hosted = f"http://{e2e.SANDBOX_HOST}/sandbox/razorpay/v1/checkout/embedded"
    pay_razorpay({"checkout": {"checkout_url": hosted,
                               "checkout_fields": {"key_id": demo.RAZORPAY_KEY_ID, "order_id": order.object_id}}})  # fmt: skip
    sync_later(django_capture_on_commit_callbacks)

    payment.refresh_from_db()
    bill.refresh_from_db()
    assert payment.status == "captured"
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "partly_paid")
    assert len(entries_for(payment)) == 1


def test_paytm_lost_order_is_our_reference_and_is_asked_about(
    staff, bill, monkeypatch, django_capture_on_commit_callbacks
):
    payment = create_with_lost_answer(staff, bill, "paytm", monkeypatch)
    assert SandboxObject.objects.filter(entity="paytm_order").count() == 1

    counts = sync_later(django_capture_on_commit_callbacks)

    payment.refresh_from_db()
    assert (payment.status, payment.gateway_order_id) == ("pending", payment.reference)
    assert counts["asked"] == 1  # asked about at once: nobody has paid it yet


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_an_order_the_gateway_never_received_fails_the_payment(
    staff, bill, provider, django_capture_on_commit_callbacks
):
    response = staff.post("/api/patient-payment/create-order",
                          {"bill_id": bill.pk, "amount": "1500.00", "provider": provider}, format="json")  # fmt: skip
    payment = PatientPayment.objects.get(pk=response.json()["payment_id"])
    # As if the create had never left: the gateway holds no order for it, we hold no id.
    SandboxObject.objects.filter(entity__in=["order", "paytm_order"]).delete()
    PatientPayment.objects.filter(pk=payment.pk).update(gateway_order_id="")

    sync_later(django_capture_on_commit_callbacks)

    payment.refresh_from_db()
    assert (payment.status, payment.failure_reason) == ("failed", NEVER_CREATED)
    assert entries_for(payment) == []


def test_a_recent_lost_order_is_left_alone(staff, bill, monkeypatch, django_capture_on_commit_callbacks):
    payment = create_with_lost_answer(staff, bill, "razorpay", monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        status_sync_run(now=timezone.now())  # younger than GATEWAY_STATUS_SYNC_AFTER_SECONDS

    payment.refresh_from_db()
    assert (payment.status, payment.gateway_order_id) == ("pending", "")
