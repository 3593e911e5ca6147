"""A real Celery worker on the configured broker (Redis in CI) takes a delivered webhook
from the relay to the handler: nothing here runs eagerly."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.test import Client

from skinspire.celery_app import app
from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.core.tests.waiting import wait_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.webhook_support import (
    RAZORPAY_URL,
    history,
    post,
    razorpay_headers,
    razorpay_payout_envelope,
)
from skinspire.gateways.webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNT = "acc_CeleryWorker01"
SECRET = "celery_worker_whsec_01"


def test_a_worker_processes_a_delivered_webhook_end_to_end(monkeypatch, payout_handler):
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    GatewayConfigurationFactory(merchant_id=ACCOUNT, razorpay_webhook_secret=SECRET)
    payout = TrialPayout.objects.create(reference="PAY-0777")
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0777", status="processed")

    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
        response = post(
            Client(), RAZORPAY_URL, body, razorpay_headers(body, secret=SECRET, event_id="EvtWorker0001")
        )
        assert response.status_code == 200
        done = wait_for(lambda: WebhookEvent.objects.filter(status="processed").first(), seconds=30)

    assert app.conf.broker_url == (settings.REDIS_URL or "filesystem://")
    assert done is not None and (done.event_id, done.attempts, done.relay_pending) == (
        "EvtWorker0001",
        1,
        False,
    )
    assert history(payout) == [("queued", "processed", "applied")]
