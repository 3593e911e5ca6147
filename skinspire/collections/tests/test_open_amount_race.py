"""Pay online and a payment link for the same bill at the same moment, on PostgreSQL with
real threads: both creates take the bill's row lock before counting what is already asked
for, so the second waits for the first, counts it, and is a 409. Before, an order did not
count in the link rule, and both asked the patient for the whole bill."""

import threading

import pytest
from django.db import connection, transaction

from skinspire.collections.models import Bill, PatientPayment, PaymentLink
from skinspire.core import locks
from skinspire.core.tests.test_transition_concurrency import backends_waiting_on_a_lock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CREATES = {
    "order": ("/api/patient-payment/create-order", {}),
    "link": ("/api/gateway/create-payment-link", {"expire_in_hours": 24, "notify": []}),
}


@pytest.fixture
def gateways(postgres_only, demo_gateways):
    return demo_gateways


def create_in_thread(client, bill, kind: str, responses: dict) -> threading.Thread:
    path, body = CREATES[kind]

    def run():
        try:
            responses[kind] = client.post(path, {"bill_id": bill.pk, **body}, format="json")
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_an_order_and_a_link_for_one_bill_at_once_make_one_and_a_409(gateways, client_as, bill):
    responses: dict = {}
    clients = {kind: client_as("payments") for kind in CREATES}  # committed before the threads look
    with transaction.atomic():
        locks.lock_row(Bill, pk=bill.pk)  # both creates queue behind this lock
        threads = [create_in_thread(clients[kind], bill, kind, responses) for kind in CREATES]
        waiting = backends_waiting_on_a_lock(2)
    for thread in threads:
        thread.join(timeout=60)

    assert waiting == 2
    assert sorted(response.status_code for response in responses.values()) == [201, 409]
    asked = list(PaymentLink.objects.values_list("amount", flat=True)) + list(
        PatientPayment.objects.values_list("amount", flat=True)
    )
    assert [str(amount) for amount in asked] == ["1500.00"]
    refused = next(response for response in responses.values() if response.status_code == 409)
    assert refused.json()["message"].startswith(f"Bill {bill.number} already has ")
