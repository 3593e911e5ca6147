"""A link whose create answer was lost (a timeout after the gateway acted, or before it did)
is resolved on the sandbox: staff cancel it, or the status sync finds it, by our reference
(Razorpay's GET /v1/payment_links?reference_id=, through the official SDK); a gateway that
holds none lets ours be cancelled. Paytm cannot be asked for a link by our reference, so its
lost link stays open until it expires, and staff are told so."""

from datetime import timedelta
from decimal import Decimal

import pytest
import requests
from django.utils import timezone

from skinspire.collections.models import PatientPayment, PaymentLink
from skinspire.collections.services.link_recovery import NEVER_CREATED
from skinspire.collections.tests.support import history_of
from skinspire.core.models import StatusTransition
from skinspire.core.testing import DjangoInProcessAdapter
from skinspire.gateways.webhooks.status_sync import status_sync_run
from skinspire.sandbox.models import SandboxObject
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db

CREATE_PATHS = {"razorpay": "/v1/payment_links", "paytm": "/link/create"}


def lose_answer(monkeypatch, provider: str, *, gateway_acts: bool = True):
    """The create's answer never comes back; the gateway made the link, or never got the call."""
    send = DjangoInProcessAdapter.send

    def lost(self, request, *args, **kwargs):
        is_create = request.method == "POST" and (request.url or "").endswith(CREATE_PATHS[provider])
        response = send(self, request, *args, **kwargs) if gateway_acts or not is_create else None
        if is_create:
            raise requests.exceptions.ReadTimeout("read timed out", request=request)
        return response

    monkeypatch.setattr(DjangoInProcessAdapter, "send", lost)


def create(staff, bill):
    body = {"bill_id": bill.pk, "expire_in_hours": 24, "notify": ["sms"]}
    return staff.post("/api/gateway/create-payment-link", body, format="json")


def cancel(staff, link: PaymentLink):
    return staff.post(f"/api/payment-links/{link.pk}/cancel")


def backdate(link: PaymentLink, minutes: int = 11) -> None:
    PaymentLink.objects.filter(pk=link.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))


def test_staff_cancel_a_razorpay_link_whose_answer_was_lost_and_make_the_next(staff, bill, monkeypatch):
    lose_answer(monkeypatch, "razorpay")
    assert create(staff, bill).status_code == 504
    monkeypatch.undo()
    link = PaymentLink.objects.get()
    sent = SandboxObject.objects.get(entity="payment_link")

    cancelled = cancel(staff, link)

    assert cancelled.status_code == 200, cancelled.content
    link.refresh_from_db()
    sent.refresh_from_db()
    assert (link.status, link.gateway_link_id, link.gateway_url) == (
        "cancelled",
        sent.object_id,
        sent.body["short_url"],
    )
    assert sent.body["status"] == "cancelled"  # the patient's link no longer takes money
    assert [row for row in history_of(link) if row[2] == "applied"] == [("created", "cancelled", "applied")]
    again = create(staff, bill)
    assert (again.status_code, again.json()["amount"]) == (201, "2500.00")


def test_a_razorpay_create_that_never_arrived_is_cancelled_once_it_cannot_still_be_running(
    staff, bill, monkeypatch
):
    lose_answer(monkeypatch, "razorpay", gateway_acts=False)
    assert create(staff, bill).status_code == 504
    monkeypatch.undo()
    link = PaymentLink.objects.get()

    unsent = staff.post(f"/api/payment-links/{link.pk}/resend")
    assert (unsent.status_code, unsent.json()["message"]) == (409, f"Link {link.reference} cannot be sent: the gateway "
            "has not answered its create, so there is no page to pay on. Cancel it (the gateway is asked for it "
            "first), or wait for the status sync to find it.")  # fmt: skip
    too_soon = cancel(staff, link)
    assert too_soon.status_code == 409
    assert "its create may still be running. Try again after" in too_soon.json()["message"]
    link.refresh_from_db()
    assert (link.status, link.gateway_link_id) == ("created", "")

    backdate(link)
    cancelled = cancel(staff, link)

    assert cancelled.status_code == 200, cancelled.content
    link.refresh_from_db()
    assert (link.status, link.gateway_link_id) == ("cancelled", "")
    reasons = StatusTransition.objects.filter(object_id=str(link.pk), content_type__model="paymentlink")
    assert list(reasons.values_list("to_state", "reason")) == [("cancelled", NEVER_CREATED)]
    assert not SandboxObject.objects.filter(entity="payment_link").exists()
    assert create(staff, bill).status_code == 201


def test_the_status_sync_finds_a_lost_razorpay_link_the_patient_paid(
    staff, bill, monkeypatch, django_capture_on_commit_callbacks
):
    """No webhook is applied (the receiver only holds them): the sync alone records it."""
    lose_answer(monkeypatch, "razorpay")
    assert create(staff, bill).status_code == 504
    monkeypatch.undo()
    link = PaymentLink.objects.get()
    sent = SandboxObject.objects.get(entity="payment_link")
    with django_capture_on_commit_callbacks(execute=True):
        e2e.patient_browser().post(e2e.path_of(sent.body["short_url"]), {"method": "upi", "vpa": "asha@okhdfc",
                                   "outcome": "success", "mobile": "9876543210", "email": "asha@x.example"})  # fmt: skip
    assert PatientPayment.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        status_sync_run(now=timezone.now() + timedelta(hours=1))

    link.refresh_from_db()
    bill.refresh_from_db()
    assert (link.gateway_link_id, link.gateway_url, link.status, link.amount_paid) == (
        sent.object_id,
        sent.body["short_url"],
        "paid",
        Decimal("2500.00"),
    )
    payment = PatientPayment.objects.get()
    assert (payment.status, payment.payment_link, payment.amount) == ("captured", link, Decimal("2500.00"))
    assert (bill.amount_paid, bill.status) == (Decimal("2500.00"), "paid")


def test_the_status_sync_cancels_a_lost_razorpay_link_the_gateway_never_made(staff, bill, monkeypatch):
    lose_answer(monkeypatch, "razorpay", gateway_acts=False)
    assert create(staff, bill).status_code == 504
    monkeypatch.undo()
    link = PaymentLink.objects.get()
    backdate(link)

    status_sync_run(now=timezone.now() + timedelta(hours=1))

    link.refresh_from_db()
    assert (link.status, link.gateway_link_id) == ("cancelled", "")
    assert create(staff, bill).status_code == 201


def test_a_lost_paytm_link_cannot_be_cancelled_and_staff_are_told_when_it_expires(
    staff, bill, hospital, monkeypatch
):
    hospital.gateway_configurations.filter(provider="razorpay").update(is_active=False)
    lose_answer(monkeypatch, "paytm")
    assert create(staff, bill).status_code == 504
    monkeypatch.undo()
    link = PaymentLink.objects.get()
    backdate(link)
    expires = f"{timezone.localtime(link.expires_at):%d %b %Y %H:%M} India time"

    second = create(staff, bill)
    refused = cancel(staff, link)
    unsent = staff.post(f"/api/payment-links/{link.pk}/resend")
    status_sync_run(now=timezone.now() + timedelta(hours=1))

    assert unsent.json()["message"].startswith(
        f"Link {link.reference} cannot be sent: the gateway has not answered"
    )
    for answer in (second, refused, unsent):
        assert answer.status_code == 409
        message = answer.json()["message"]
        assert f"Link {link.reference}: the gateway has not answered its create" in message
        assert f"It cannot be cancelled; it counts against the bill until it expires at {expires}." in message
        assert "send one again" not in message
    link.refresh_from_db()
    assert (link.status, link.gateway_link_id) == ("created", "")
    assert SandboxObject.objects.filter(entity="paytm_link").count() == 1  # payable at Paytm meanwhile
