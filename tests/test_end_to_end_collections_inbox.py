"""Through the real webhook inbox: the sandbox delivers its signed webhooks to
/api/gateway/webhook/<provider> (the demo's own webhook URL), the inbox stores, verifies,
de-duplicates and hands them to the collections handlers registered in ready(); and the
status sync completes a payment whose webhooks never came."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.collections.models import PatientPayment, PatientRefund
from skinspire.collections.services import events
from skinspire.collections.tests.support import entries_for, history_of
from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.gateways.webhooks.registry import handler_for
from skinspire.gateways.webhooks.status_sync import status_sync_run
from skinspire.ledger.models import JournalEntry
from skinspire.sandbox import demo
from skinspire.sandbox.models import SandboxMerchant
from tests import collections_support as support
from tests.collections_support import create_order, pay_paytm, pay_razorpay

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill(hospital):
    demo.seed(hospital=hospital, out=io.StringIO())  # webhooks to the site's own inbox
    return support.bill_in_demo_hospital(hospital)


@pytest.fixture
def staff(api_client, bill):
    return support.staff_client(api_client, bill)


def test_collections_handlers_are_registered():
    assert handler_for("payment") is events.patient_payment_apply_event
    assert handler_for("order") is events.patient_payment_apply_event
    assert handler_for("payment_link") is events.payment_link_apply_event
    assert handler_for("refund") is events.patient_refund_apply_event


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_the_patient_closes_the_browser_and_the_inbox_completes_the_payment(
    staff, bill, provider, django_capture_on_commit_callbacks
):
    order = create_order(staff, bill, provider)
    with django_capture_on_commit_callbacks(execute=True):
        pay_razorpay(order) if provider == "razorpay" else pay_paytm(order)

    payment = PatientPayment.objects.get(pk=order["payment_id"])
    bill.refresh_from_db()
    assert payment.status == "captured"
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "partly_paid")
    assert len(entries_for(payment)) == 1
    assert [row for row in history_of(payment) if row[2] == "applied"] == [("pending", "captured", "applied")]
    rows = WebhookEvent.objects.filter(provider=provider)
    assert rows.exists()
    assert set(rows.values_list("status", flat=True)) <= {"processed", "ignored"}


def test_a_refund_completes_through_the_inbox(staff, bill, django_capture_on_commit_callbacks):
    order = create_order(staff, bill, "razorpay")
    with django_capture_on_commit_callbacks(execute=True):
        pay_razorpay(order)
    payment = PatientPayment.objects.get(pk=order["payment_id"])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/api/patient-payments/{payment.pk}/refunds", {"amount": "100.00", "reason": "x"},
                              format="json")  # fmt: skip
    assert response.status_code == 201

    refund = PatientRefund.objects.get()
    assert refund.status == "processed"
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("100.00"))
    assert JournalEntry.objects.filter(event="processed").count() == 1


def test_the_status_sync_completes_a_payment_whose_webhooks_never_came(
    staff, bill, django_capture_on_commit_callbacks
):
    SandboxMerchant.objects.update(webhook_url="")
    order = create_order(staff, bill, "razorpay")
    with django_capture_on_commit_callbacks(execute=True):
        pay_razorpay(order)
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    assert payment.status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        status_sync_run(now=timezone.now() + timedelta(hours=1))

    payment.refresh_from_db()
    assert payment.status == "captured"
    assert len(entries_for(payment)) == 1


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_the_status_sync_completes_a_refund_whose_webhooks_never_came(
    staff, bill, provider, django_capture_on_commit_callbacks
):
    order = create_order(staff, bill, provider)
    with django_capture_on_commit_callbacks(execute=True):
        pay_razorpay(order) if provider == "razorpay" else pay_paytm(order)
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    assert payment.status == "captured"
    SandboxMerchant.objects.update(webhook_url="")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/api/patient-payments/{payment.pk}/refunds", {"amount": "100.00", "reason": "x"},
                              format="json")  # fmt: skip
    assert response.status_code == 201
    refund = PatientRefund.objects.get()
    assert refund.status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        status_sync_run(now=timezone.now() + timedelta(hours=1))

    refund.refresh_from_db()
    payment.refresh_from_db()
    assert refund.status == "processed"
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("100.00"))
    assert JournalEntry.objects.filter(event="processed").count() == 1
