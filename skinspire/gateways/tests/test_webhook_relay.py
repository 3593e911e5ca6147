"""The outbox relay: pending rows go to processing in batches, one message per batch, and
the sweep puts back rows whose message was lost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.webhook_support import razorpay_payout_envelope, rows
from skinspire.gateways.webhooks import relay
from skinspire.gateways.webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital)


def stored(configuration, number: int, **fields) -> WebhookEvent:
    return WebhookEvent.objects.create(
        provider="razorpay",
        configuration=configuration,
        hospital=configuration.hospital,
        event_id=f"EvtRelay{number:05d}",
        content_hash=f"{number:064d}",
        event_type="payout.processed",
        object_type="payout",
        body=razorpay_payout_envelope(
            account_id=configuration.merchant_id, reference="PAY-1", status="processed"
        ),
        headers={"x-razorpay-event-id": f"EvtRelay{number:05d}"},
        signature_valid=True,
        **fields,
    )


def test_pending_rows_are_handed_over_in_batches(
    configuration, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from skinspire.gateways.webhooks import tasks

    settings.GATEWAY_WEBHOOK_RELAY_BATCH = 2
    batches = []
    monkeypatch.setattr(tasks.webhook_events_process, "delay", batches.append)
    pending = [stored(configuration, number, relay_pending=True) for number in range(5)]
    stored(configuration, 99)  # not pending: already handed over

    with django_capture_on_commit_callbacks(execute=True):
        assert relay.relay_drain() == 5

    ids = [row.pk for row in pending]
    assert batches == [ids[0:2], ids[2:4], ids[4:5]]
    assert not WebhookEvent.objects.filter(relay_pending=True).exists()


def test_the_sweep_requeues_rows_whose_message_was_lost(configuration, settings):
    settings.GATEWAY_WEBHOOK_MAX_ATTEMPTS = 3
    long_ago = timezone.now() - timedelta(minutes=11)
    lost = stored(configuration, 1, received_at=long_ago)
    retry_lost = stored(configuration, 2, status="failed", attempts=1, processed_at=long_ago)
    stored(configuration, 3)  # received just now: its batch may still be on its way
    stored(configuration, 4, status="failed", attempts=3, processed_at=long_ago)  # no attempts left
    stored(configuration, 5, status="processed", attempts=1, processed_at=long_ago)

    assert relay.relay_requeue_stranded() == 2

    assert [row.pk for row in rows(relay_pending=True)] == [lost.pk, retry_lost.pk]
