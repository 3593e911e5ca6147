"""Payment links for bills end to end through the sandboxes: staff create one through the
API, the patient opens our page on a phone, pays on the gateway's page and comes back
(Razorpay: a signed GET redirect; Paytm: the signed form posted to the link's status
callback); webhooks and the return apply the payment once; expiry and cancellation show."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from skinspire.collections.models import PatientPayment, PaymentLink
from skinspire.collections.services.events import (
    patient_payment_apply_event,
    payment_link_apply_event,
)
from skinspire.collections.tests.support import entries_for, history_of
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.webhooks.status_sync import status_sync_run
from skinspire.ledger.models import JournalEntry
from skinspire.sandbox.models import SandboxObject
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db


def create_link(staff, bill, host: str = "testserver", **overrides) -> dict:
    body = {"bill_id": bill.pk, "expire_in_hours": 48, "notify": ["email", "sms"], **overrides}
    response = staff.post("/api/gateway/create-payment-link", body, format="json", HTTP_HOST=host)
    assert response.status_code == 201, response.content
    return response.json()


def local_path(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def pay_on_gateway_page(link: dict, capture, *, vpa: str = "asha@okhdfc"):
    phone = e2e.patient_browser()
    with capture(execute=True):
        return phone.post(e2e.path_of(link["gateway_url"]), {"method": "upi", "vpa": vpa, "outcome": "success",
                                                              "mobile": "9876543210", "email": "asha@x.example"})  # fmt: skip


def apply_webhooks(provider: str, link: PaymentLink) -> list:
    assert link.configuration is not None
    events = e2e.verified_events(provider_for(link.configuration), e2e.received_from(provider))
    for event in events:
        handler = (
            payment_link_apply_event if event.object_type == "payment_link" else patient_payment_apply_event
        )
        handler(event=event, configuration=link.configuration)
    return events


def assert_paid_once(link: PaymentLink, bill, *, account: str) -> PatientPayment:
    link.refresh_from_db()
    bill.refresh_from_db()
    payment = PatientPayment.objects.get()
    assert (link.status, link.amount_paid) == ("paid", Decimal("2500.00"))
    assert (payment.status, payment.payment_link, payment.amount) == ("captured", link, Decimal("2500.00"))
    assert (bill.amount_paid, bill.status) == (Decimal("2500.00"), "paid")
    assert entries_for(payment) == [
        (
            "received",
            [(account, Decimal("2500.00"), Decimal("0.00")), ("1200", Decimal("0.00"), Decimal("2500.00"))],
        )
    ]
    assert [row for row in history_of(payment) if row[2] == "applied"] == [("pending", "captured", "applied")]
    assert [row for row in history_of(link) if row[2] == "applied"] == [("created", "paid", "applied")]
    return payment


def test_razorpay_link_paid_on_a_phone_returns_to_our_page(
    staff, bill, client, django_capture_on_commit_callbacks
):
    created = create_link(staff, bill)
    link = PaymentLink.objects.get()
    assert created["url"] == f"http://testserver/pay/link/{link.token}"
    assert created["gateway_url"].startswith("http://sandbox.testserver/sandbox/razorpay/l/plink_")
    assert (created["status"], created["amount"], created["provider"]) == ("created", "2500.00", "razorpay")

    page = client.get(local_path(created["url"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "₹2,500.00" in text and bill.number in text and str(bill.hospital) in text
    assert created["gateway_url"] in text

    with django_capture_on_commit_callbacks(execute=True):
        redirect = pay_on_gateway_page(created, django_capture_on_commit_callbacks)
        assert redirect.status_code == 302
        landed = client.get(local_path(redirect["Location"]))
    assert landed.status_code == 200
    assert "Payment received" in landed.content.decode()

    apply_webhooks("razorpay", link)  # they arrive too: nothing more happens
    payment = assert_paid_once(link, bill, account="1100")
    assert f"/pay/receipt/{payment.reference}" in landed.content.decode()
    assert [message.to for message in mail.outbox] == [[bill.patient.email]]
    assert client.get(local_path(created["url"])).content.decode().count("This bill is paid") == 1


def test_razorpay_browser_closed_the_link_webhook_alone_records_it(
    staff, bill, django_capture_on_commit_callbacks
):
    created = create_link(staff, bill)
    link = PaymentLink.objects.get()
    pay_on_gateway_page(created, django_capture_on_commit_callbacks)

    events = apply_webhooks("razorpay", link)
    apply_webhooks("razorpay", link)  # every webhook delivered twice

    assert [event.event_type for event in events][-1] == "payment_link.paid"
    assert_paid_once(link, bill, account="1100")
    assert JournalEntry.objects.count() == 1


def test_paytm_link_status_callback_and_webhook_apply_once(
    staff, bill, hospital, django_capture_on_commit_callbacks
):
    hospital.gateway_configurations.filter(provider="razorpay").update(is_active=False)
    # The status callback is POSTed by the gateway itself, server to server; in tests only the
    # sandbox's host is served in-process, so the site is addressed by that name here.
    created = create_link(staff, bill, host=e2e.SANDBOX_HOST, expire_in_hours=24, notify=["sms"])
    link = PaymentLink.objects.get()
    assert created["url"] == f"http://{e2e.SANDBOX_HOST}/pay/link/{link.token}"
    assert (link.source, link.notify_email, link.notify_sms) == ("paytm", False, True)

    page = pay_on_gateway_page(created, django_capture_on_commit_callbacks)

    assert page.status_code == 200
    payment = PatientPayment.objects.get()  # recorded by the signed status callback to our return page
    assert payment.status == "captured"
    apply_webhooks("paytm", link)
    apply_webhooks("paytm", link)
    assert_paid_once(link, bill, account="1110")


def test_a_link_paid_twice_from_two_tabs_is_recorded_once(
    staff, bill, client, django_capture_on_commit_callbacks
):
    created = create_link(staff, bill)
    link = PaymentLink.objects.get()
    first = pay_on_gateway_page(created, django_capture_on_commit_callbacks)
    second = pay_on_gateway_page(created, django_capture_on_commit_callbacks)

    assert first.status_code == 302
    assert second.status_code in (400, 402)
    client.get(local_path(first["Location"]))
    apply_webhooks("razorpay", link)
    assert_paid_once(link, bill, account="1100")


def test_an_expired_link_says_so(staff, bill, client):
    created = create_link(staff, bill)
    PaymentLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    page = client.get(local_path(created["url"]))

    assert page.status_code == 410
    assert "This payment link has expired" in page.content.decode()
    assert "₹" not in page.content.decode()


def test_cancel_and_resend(staff, bill, client):
    created = create_link(staff, bill)

    resent = staff.post(f"/api/payment-links/{created['id']}/resend")
    cancelled = staff.post(f"/api/payment-links/{created['id']}/cancel")
    again = staff.post(f"/api/payment-links/{created['id']}/resend")

    assert resent.status_code == 200
    assert created["url"] in mail.outbox[0].body
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert again.status_code == 409
    page = client.get(local_path(created["url"]))
    assert (page.status_code, "was cancelled" in page.content.decode()) == (410, True)


def test_unknown_token_and_a_tampered_return(staff, bill, client, django_capture_on_commit_callbacks):
    created = create_link(staff, bill)
    assert client.get("/pay/link/not-a-token").status_code == 404
    redirect = pay_on_gateway_page(created, django_capture_on_commit_callbacks)
    tampered = local_path(redirect["Location"]).replace("status=paid", "status=partially_paid")

    response = client.get(tampered)

    assert response.status_code == 400
    assert "could not confirm" in response.content.decode()
    assert PatientPayment.objects.count() == 0


def test_paytm_link_paid_with_no_webhook_and_no_return_the_status_sync_records_its_payment(
    staff, bill, hospital, django_capture_on_commit_callbacks
):
    """Paytm lists a link's payments by TXNID and looks a payment up by its ORDERID: the
    link's answer carries both, so the sync records the payment, not just the link's status."""
    hospital.gateway_configurations.filter(provider="razorpay").update(is_active=False)
    created = create_link(staff, bill, expire_in_hours=24, notify=["sms"])
    link = PaymentLink.objects.get()
    sandbox_link = SandboxObject.objects.get(entity="paytm_link")
    sandbox_link.body["_sandbox"]["statusCallbackUrl"] = ""  # the status callback never arrives
    sandbox_link.save(update_fields=["body"])
    pay_on_gateway_page(created, django_capture_on_commit_callbacks)  # webhooks: held by the receiver
    assert PatientPayment.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        status_sync_run(now=timezone.now() + timedelta(hours=1))

    payment = assert_paid_once(link, bill, account="1110")
    order = SandboxObject.objects.get(entity="paytm_order")
    assert (payment.gateway_order_id, payment.gateway_payment_id) == (
        order.body["orderId"],
        order.body["txnId"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        status_sync_run(now=timezone.now() + timedelta(hours=2))  # asked again: nothing more
    assert JournalEntry.objects.count() == 1
