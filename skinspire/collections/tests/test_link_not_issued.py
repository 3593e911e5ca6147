"""A link the gateway provably did not make is cancelled, with why in its history, so it
stays no orphan that blocks the bill's next link; a link whose answer was lost (the gateway
may hold it, and have sent it to the patient) stays open and counts against the bill."""

import pytest
import requests
from django.utils import timezone

from skinspire.collections.models import PaymentLink
from skinspire.collections.tests.support import link_create
from skinspire.core.models import AuditEntry, StatusTransition
from skinspire.core.testing import DjangoInProcessAdapter
from skinspire.sandbox.models import SandboxMerchant, SandboxObject

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_gateways")]


@pytest.fixture
def staff(client_as):
    return client_as("payments")


def test_a_link_every_gateway_refused_is_cancelled_and_the_next_one_is_made(staff, bill):
    secrets = dict(SandboxMerchant.objects.values_list("pk", "key_secret"))
    SandboxMerchant.objects.update(key_secret="NotTheSecret0000")

    refused = link_create(staff, bill)

    assert refused.status_code == 502
    orphan = PaymentLink.objects.get()
    assert (orphan.status, orphan.gateway_link_id) == ("cancelled", "")
    history = StatusTransition.objects.get(object_id=str(orphan.pk), content_type__model="paymentlink")
    assert (history.from_state, history.to_state, history.outcome) == ("created", "cancelled", "applied")
    assert history.reason == f"The gateway did not create the link: {refused.json()['message']}"
    assert AuditEntry.objects.filter(action="payment_link.not_issued", object_id=str(orphan.pk)).count() == 1
    assert not SandboxObject.objects.filter(entity="payment_link").exists()

    for pk, secret in secrets.items():
        SandboxMerchant.objects.filter(pk=pk).update(key_secret=secret)
    again = link_create(staff, bill)

    assert (again.status_code, again.json()["amount"], again.json()["status"]) == (201, "1500.00", "created")
    assert PaymentLink.objects.filter(status="created").exclude(gateway_link_id="").count() == 1


def test_a_link_whose_answer_was_lost_stays_open_and_counts(staff, bill, monkeypatch):
    send = DjangoInProcessAdapter.send

    def answer_lost(self, request, *args, **kwargs):
        response = send(self, request, *args, **kwargs)
        if request.method == "POST" and "payment_links" in (request.url or ""):
            raise requests.exceptions.ReadTimeout("read timed out", request=request)
        return response

    monkeypatch.setattr(DjangoInProcessAdapter, "send", answer_lost)

    lost = link_create(staff, bill)
    second = link_create(staff, bill)

    assert lost.status_code == 504
    link = PaymentLink.objects.get()
    assert (link.status, link.gateway_link_id) == ("created", "")
    assert link.expires_at > timezone.now()
    assert SandboxObject.objects.filter(entity="payment_link").count() == 1  # payable at the gateway
    assert second.status_code == 409
    # Razorpay can be asked for it by our reference, so cancelling it works (services/link_recovery.py).
    assert second.json()["message"].endswith("send one again, or cancel it before making another.")
    assert not StatusTransition.objects.filter(content_type__model="paymentlink").exists()
