"""Webhooks: Razorpay's headers and signature, retries, and the chaos knobs."""

import json
from datetime import timedelta

import pytest
import responses
from django.test import Client
from django.utils import timezone

from skinspire.sandbox.delivery import webhook_retry_due
from skinspire.sandbox.models import SandboxWebhookDelivery
from skinspire.sandbox.razorpay.events import account_id_for
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

HOOK_URL = "https://hooks.example/razorpay"


@pytest.fixture
def hooks():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, HOOK_URL, status=200)
        yield mock


def _paid_order(merchant, capture):
    client = razorpay_client(merchant)
    order = client.order.create({"amount": 50000, "currency": "INR"})
    with capture(execute=True):
        Client(HTTP_HOST="sandbox.testserver").post(
            f"/sandbox/razorpay/checkout/{order['id']}/",
            {"method": "upi", "vpa": "ok@upi", "outcome": "success"},
        )
    return client, order


def _sent(hooks):
    return [call.request for call in hooks.calls if call.request.url == HOOK_URL]


def test_events_are_signed_over_the_raw_body(hooks, django_capture_on_commit_callbacks):
    merchant = SandboxMerchantFactory(webhook_url=HOOK_URL)

    client, order = _paid_order(merchant, django_capture_on_commit_callbacks)

    sent = _sent(hooks)
    assert [json.loads(request.body)["event"] for request in sent] == [
        "payment.authorized",
        "payment.captured",
        "order.paid",
    ]
    for request in sent:
        body = request.body.decode()
        assert client.utility.verify_webhook_signature(
            body, request.headers["X-Razorpay-Signature"], merchant.webhook_secret
        )
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers["User-Agent"] == "Razorpay-Webhook/v1"
        assert len(request.headers["X-Razorpay-Event-Id"]) == 14
    assert len({request.headers["X-Razorpay-Event-Id"] for request in sent}) == 3
    order_paid = json.loads(sent[2].body)
    assert order_paid["entity"] == "event"
    assert order_paid["account_id"] == account_id_for(merchant=merchant)
    assert order_paid["contains"] == ["payment", "order"]
    assert order_paid["payload"]["order"]["entity"]["status"] == "paid"
    assert order_paid["payload"]["payment"]["entity"]["order_id"] == order["id"]
    assert set(SandboxWebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_duplicate_knob_delivers_each_event_twice(hooks, django_capture_on_commit_callbacks):
    merchant = SandboxMerchantFactory(webhook_url=HOOK_URL, webhook_chaos={"duplicate": True})

    _paid_order(merchant, django_capture_on_commit_callbacks)

    event_ids = [request.headers["X-Razorpay-Event-Id"] for request in _sent(hooks)]
    assert len(event_ids) == 6
    assert sorted(list(set(event_ids)) * 2) == sorted(event_ids)


def test_drop_knob_sends_nothing(hooks, django_capture_on_commit_callbacks):
    merchant = SandboxMerchantFactory(webhook_url=HOOK_URL, webhook_chaos={"drop": True})

    _paid_order(merchant, django_capture_on_commit_callbacks)

    assert _sent(hooks) == []
    assert list(SandboxWebhookDelivery.objects.values_list("status", flat=True)) == ["dropped"] * 3


def test_out_of_order_knob_sends_an_event_after_the_next_one(hooks, django_capture_on_commit_callbacks):
    merchant = SandboxMerchantFactory(webhook_url=HOOK_URL, webhook_chaos={"out_of_order": True})
    _paid_order(merchant, django_capture_on_commit_callbacks)
    assert _sent(hooks) == []  # every event is held back until a later one comes

    merchant.webhook_chaos = {}
    merchant.save()
    client = razorpay_client(merchant)
    payment_id = client.payment.all()["items"][0]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        client.payment.refund(payment_id, {"amount": 100})

    events = [json.loads(request.body)["event"] for request in _sent(hooks)]
    assert events[0] == "refund.created"
    assert sorted(events[1:4]) == ["order.paid", "payment.authorized", "payment.captured"]
    assert events[4:] == ["refund.processed"]


def test_non_2xx_is_retried_until_it_succeeds(django_capture_on_commit_callbacks):
    merchant = SandboxMerchantFactory(webhook_url=HOOK_URL)
    with responses.RequestsMock() as hooks:
        hooks.add(responses.POST, HOOK_URL, status=500)
        hooks.add(responses.POST, HOOK_URL, status=500)
        hooks.add(responses.POST, HOOK_URL, status=200)
        client = razorpay_client(merchant)
        with django_capture_on_commit_callbacks(execute=True):
            client.payment_link.cancel(client.payment_link.create({"amount": 1000})["id"])
        delivery = SandboxWebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)

        assert webhook_retry_due(now=timezone.now() + timedelta(minutes=2)) == 1
        assert webhook_retry_due(now=timezone.now() + timedelta(minutes=10)) == 1

        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
        assert len({call.request.headers["X-Razorpay-Event-Id"] for call in hooks.calls}) == 1
        assert len({call.request.body for call in hooks.calls}) == 1
