"""A Razorpay link whose create answer was lost after the gateway made it (a read timeout):
staff saw a 504 and our link has no gateway id, yet the patient was sent the gateway's link
and pays it. The link counts against the bill meanwhile (no second link can be made), and
its webhook, which names it by our reference, teaches us its id: the payment is recorded
once on the bill, as for any link."""

from decimal import Decimal

import pytest
import requests

from skinspire.collections.models import PatientPayment, PaymentLink
from skinspire.collections.services.events import payment_link_apply_event
from skinspire.core.testing import DjangoInProcessAdapter
from skinspire.gateways.providers.registry import provider_for
from skinspire.sandbox.models import SandboxObject
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer_lost(monkeypatch):
    """Razorpay makes the link; its answer never comes back."""
    send = DjangoInProcessAdapter.send

    def lost(self, request, *args, **kwargs):
        response = send(self, request, *args, **kwargs)
        if request.method == "POST" and (request.url or "").endswith("/v1/payment_links"):
            raise requests.exceptions.ReadTimeout("read timed out", request=request)
        return response

    monkeypatch.setattr(DjangoInProcessAdapter, "send", lost)
    return monkeypatch


def test_a_link_whose_answer_was_lost_is_recognised_when_the_patient_pays_it(
    staff, bill, answer_lost, django_capture_on_commit_callbacks
):
    body = {"bill_id": bill.pk, "expire_in_hours": 24, "notify": ["sms"]}
    lost = staff.post("/api/gateway/create-payment-link", body, format="json")
    again = staff.post("/api/gateway/create-payment-link", body, format="json")
    answer_lost.undo()
    link = PaymentLink.objects.get()
    assert (lost.status_code, again.status_code, link.status, link.gateway_link_id) == (
        504,
        409,
        "created",
        "",
    )

    sent = SandboxObject.objects.get(entity="payment_link")  # what the patient's SMS points at
    phone = e2e.patient_browser()
    with django_capture_on_commit_callbacks(execute=True):
        phone.post(e2e.path_of(sent.body["short_url"]), {"method": "upi", "vpa": "asha@okhdfc", "outcome": "success",
                                                          "mobile": "9876543210", "email": "asha@x.example"})  # fmt: skip
    assert link.configuration is not None
    for event in e2e.verified_events(provider_for(link.configuration), e2e.received_from("razorpay")):
        if event.object_type == "payment_link":
            payment_link_apply_event(event=event, configuration=link.configuration)

    link.refresh_from_db()
    bill.refresh_from_db()
    assert (link.gateway_link_id, link.gateway_url, link.status, link.amount_paid) == (
        sent.object_id,
        sent.body["short_url"],  # what our page hands over to, learnt with the id
        "paid",
        Decimal("2500.00"),
    )
    payment = PatientPayment.objects.get()
    assert (payment.status, payment.payment_link, payment.amount) == ("captured", link, Decimal("2500.00"))
    assert (bill.amount_paid, bill.status) == (Decimal("2500.00"), "paid")
