"""100 concurrent submissions of the same payment make exactly one gateway payout (issue 9,
item 4), on PostgreSQL with real threads and real connections.

What "concurrent" can honestly mean here: PostgreSQL allows 100 connections in all
(`SHOW max_connections`), shared by every database on the server, so 100 transactions
cannot be open at once, and no production deployment runs them that way either: a server
or a worker pool has a fixed number of threads, each with one connection. So:

- 100 clients post the same payout (same idempotency key) at the same instant to a real
  WSGI server with 16 request threads (a gunicorn gthread worker's shape). All 100 requests
  are in flight together; the server takes 16 at a time into the database, where they race
  for the idempotency key. The winner's dispatch task (eager in tests) sends the payout.
- 100 deliveries of the dispatch task for one approved payment (a redelivery storm) run on
  a pool of 16 threads, each with its own connection, the first 16 released together by a
  barrier: they race for the payment's row lock, and the 84 after them find it taken.
"""

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from rest_framework.throttling import ScopedRateThrottle

from skinspire.core.authentication.tokens import api_token_create
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.services.submission import supplier_payment_dispatch
from skinspire.payouts.tests.bounded_server import bounded_server
from skinspire.payouts.tests.factories import upi_account
from skinspire.payouts.tests.support import history
from skinspire.sandbox.models import SandboxObject

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBMISSIONS = 100
THREADS = 16  # request threads and worker threads: each holds one connection
WAIT_SECONDS = 120


def test_a_hundred_clients_posting_the_same_payout_at_once_make_one_gateway_payout(
    postgres_only, configuration, supplier, maker, monkeypatch
):
    # The per-user throttle (10 payouts a minute, its own test in test_api_payouts.py) would
    # answer 90 of these 429 before they reach the database; here every one must get there.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"payouts": "1000/minute"})
    account = upi_account(supplier)
    token = api_token_create(user=maker)[1]
    body = json.dumps({"supplier_id": supplier.pk, "account_id": account.pk, "amount": "750.00",
                       "mode": "upi", "idempotency_key": "double-clicked"})  # fmt: skip
    start = threading.Barrier(SUBMISSIONS, timeout=WAIT_SECONDS)

    def submit(port: int) -> tuple[int, int]:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT_SECONDS)
        headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
        try:
            start.wait()
            client.request("POST", "/api/gateway/initiate-payout", body=body, headers=headers)
            response = client.getresponse()
            return response.status, json.loads(response.read())["id"]
        finally:
            client.close()

    with bounded_server(threads=THREADS) as port, ThreadPoolExecutor(max_workers=SUBMISSIONS) as clients:
        answers = list(clients.map(submit, [port] * SUBMISSIONS, timeout=WAIT_SECONDS))

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * (SUBMISSIONS - 1) + [201]
    payment = SupplierPayment.objects.get()
    assert {payment_id for _, payment_id in answers} == {payment.pk}
    assert SandboxObject.objects.filter(entity="payout").count() == 1
    assert payment.status == "processing"
    assert history(payment) == [
        ("draft", "approved", "applied"),
        ("approved", "submitted", "applied"),
        ("submitted", "processing", "applied"),
    ]


def test_a_hundred_dispatches_of_the_same_payment_make_one_gateway_payout(
    postgres_only, configuration, supplier, maker
):
    request = PaymentRequest(
        supplier=supplier, account=upi_account(supplier), amount="750.00", method="gateway_payout", mode="upi"
    )
    payment = supplier_payment_create(request=request, maker=maker)[0]
    SupplierPayment.objects.filter(pk=payment.pk).update(status="approved")
    connection.close()  # the test's own connection is not needed while the pool runs
    start = threading.Barrier(THREADS, timeout=WAIT_SECONDS)
    released = threading.local()

    def deliver(_: int) -> str:
        if not getattr(released, "done", False):  # each pool thread's first delivery waits for the others
            released.done = True
            start.wait()
        try:
            return supplier_payment_dispatch(payment_id=payment.pk).status
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(deliver, range(SUBMISSIONS), timeout=WAIT_SECONDS))

    assert len(outcomes) == SUBMISSIONS
    assert SandboxObject.objects.filter(entity="payout").count() == 1
    assert SupplierPayment.objects.get(pk=payment.pk).status == "processing"
    assert history(payment) == [("approved", "submitted", "applied"), ("submitted", "processing", "applied")]
