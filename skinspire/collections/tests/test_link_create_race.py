"""Two staff making a link for the same bill at the same moment, on PostgreSQL with real
threads: the first link is recorded under the bill's lock and counts against the bill while
its gateway call runs, so the second request is a 409 and exactly one link exists, at the
gateway too. Before, a link counted only once the gateway had answered, so both passed the
rule of open links and the patient could pay the bill twice."""

import io
import threading

import pytest
from django.db import connection

from skinspire.collections.models import PaymentLink
from skinspire.gateways.manager import select_configurations
from skinspire.gateways.models import Capability
from skinspire.gateways.providers.registry import provider_for
from skinspire.sandbox import demo
from skinspire.sandbox.models import SandboxMerchant, SandboxObject

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gateways(postgres_only, hospital):
    demo.seed(hospital=hospital, out=io.StringIO())
    SandboxMerchant.objects.update(webhook_url="")


@pytest.fixture
def gateway_held_until_an_answer(monkeypatch, bill):
    """The gateway's create waits (10 s at most) until one of the racing requests has been
    answered: a request that reaches the gateway stays in its call while the other runs."""
    answered = threading.Event()
    configuration = select_configurations(hospital=bill.hospital, branch=bill.branch,
                                          capability=Capability.PAYMENT_LINKS)[0]  # fmt: skip
    provider_class = type(provider_for(configuration))
    create = provider_class.create_payment_link

    def held(self, request):
        answered.wait(10)
        return create(self, request)

    monkeypatch.setattr(provider_class, "create_payment_link", held)
    return answered


def race(clients, bill, answered: threading.Event) -> list:
    start, responses = threading.Barrier(len(clients)), []

    def body(client):
        try:
            start.wait(10)
            body = {"bill_id": bill.pk, "expire_in_hours": 24, "notify": []}
            responses.append(client.post("/api/gateway/create-payment-link", body, format="json"))
        finally:
            answered.set()
            connection.close()

    threads = [threading.Thread(target=body, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def test_two_links_for_one_bill_at_once_make_one_and_a_409(
    gateways, client_as, bill, gateway_held_until_an_answer
):
    responses = race([client_as("payments"), client_as("payments")], bill, gateway_held_until_an_answer)

    assert sorted(response.status_code for response in responses) == [201, 409]
    refused = next(response for response in responses if response.status_code == 409)
    assert refused.json()["message"] == (
        f"Bill {bill.number} already has open payment links for ₹1,500.00, all that is open on it: "
        "send one again, or cancel it before making another."
    )
    link = PaymentLink.objects.get()
    assert (link.status, str(link.amount)) == ("created", "1500.00")
    assert link.gateway_link_id
    assert SandboxObject.objects.filter(entity="payment_link").count() == 1
