"""50 copies of one event at the same moment, on PostgreSQL: one row, one handling."""

import threading

import pytest
from django.db import connection
from django.test import Client

from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.webhook_support import (
    RAZORPAY_URL,
    history,
    post,
    razorpay_headers,
    razorpay_payout_envelope,
    rows,
)

ACCOUNT = "acc_Concurrency001"
SECRET = "concurrency_whsec_0001"
COPIES = 50


def deliver_at_once(deliveries: list[tuple[bytes, dict[str, str]]]) -> list[int]:
    barrier = threading.Barrier(len(deliveries))
    answers: list[int] = []

    def send(body: bytes, headers: dict[str, str]) -> None:
        try:
            barrier.wait()
            answers.append(post(Client(), RAZORPAY_URL, body, headers).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=delivery) for delivery in deliveries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.fixture
def payout(transactional_db, postgres_only, payout_handler):
    GatewayConfigurationFactory(merchant_id=ACCOUNT, razorpay_webhook_secret=SECRET)
    return TrialPayout.objects.create(reference="PAY-0050")


def test_fifty_copies_of_one_delivery_are_one_row_and_one_handling(payout):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0050", status="processed")
    headers = razorpay_headers(body, secret=SECRET, event_id="EvtConcurrent1")

    answers = deliver_at_once([(body, headers)] * COPIES)

    assert answers == [200] * COPIES
    assert [(row.event_id, row.status, row.attempts) for row in rows()] == [
        ("EvtConcurrent1", "processed", 1)
    ]
    assert history(payout) == [("queued", "processed", "applied")]


def test_fifty_replays_under_fresh_event_ids_are_one_row_and_one_handling(payout):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0050", status="processed")
    deliveries = [
        (body, razorpay_headers(body, secret=SECRET, event_id=f"EvtReplay{n:05d}")) for n in range(COPIES)
    ]

    answers = deliver_at_once(deliveries)

    assert answers == [200] * COPIES
    assert [row.status for row in rows()] == ["processed"]
    assert history(payout) == [("queued", "processed", "applied")]
