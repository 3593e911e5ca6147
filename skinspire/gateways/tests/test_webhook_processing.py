"""Processing an inbox row: one handler run per event, failures kept with their traceback
and retried with backoff (three attempts in all), late events recorded without regressing."""

import pytest

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
from skinspire.gateways.webhooks.processing import webhook_event_process
from skinspire.gateways.webhooks.registry import register_handler, unregister_handler

pytestmark = pytest.mark.django_db

ACCOUNT = "acc_ProcessingTest1"
SECRET = "processing_whsec_0001"


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital, merchant_id=ACCOUNT, razorpay_webhook_secret=SECRET)


@pytest.fixture
def payout():
    return TrialPayout.objects.create(reference="PAY-0042")


def deliver(client, status: str, event_id: str, capture):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0042", status=status)
    with capture(execute=True):
        return post(client, RAZORPAY_URL, body, razorpay_headers(body, secret=SECRET, event_id=event_id))


@pytest.fixture
def failing_handler(payout_handler):
    calls = []

    def handler(*, event, configuration):
        calls.append(event.event_id)
        TrialPayout.objects.filter(reference=event.reference_id).update(reference="CHANGED-BEFORE-FAILING")
        raise RuntimeError("the ledger is closed for the night")

    unregister_handler("payout")
    register_handler("payout", handler)
    return calls


def test_a_failing_handler_is_tried_three_times_then_left_failed_with_its_error(
    client, configuration, payout, failing_handler, django_capture_on_commit_callbacks, settings
):
    settings.GATEWAY_WEBHOOK_RETRY_SECONDS = 30

    response = deliver(client, "processed", "EvtFails0001", django_capture_on_commit_callbacks)

    assert response.status_code == 200  # the gateway's answer does not wait for the handler
    assert failing_handler == ["EvtFails0001"] * 3
    [row] = rows()
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error == "RuntimeError: the ledger is closed for the night"
    assert "raise RuntimeError" in row.traceback and row.traceback.startswith("Traceback")
    payout.refresh_from_db()
    # Each failed attempt rolled back with the handler's writes.
    assert (payout.reference, payout.status) == ("PAY-0042", "queued")


def test_retries_back_off_exponentially(
    configuration, payout, failing_handler, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from skinspire.gateways.webhooks import tasks

    settings.GATEWAY_WEBHOOK_RETRY_SECONDS = 30
    scheduled = []
    monkeypatch.setattr(
        tasks.webhook_event_retry, "apply_async", lambda args, countdown: scheduled.append((args, countdown))
    )
    row = _stored_row(configuration)

    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            webhook_event_process(event_id=row.pk)

    assert scheduled == [([row.pk], 30), ([row.pk], 60)]
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)


def test_a_failed_event_succeeds_on_a_later_attempt(
    client, configuration, payout, payout_handler, django_capture_on_commit_callbacks
):
    attempts = []

    def flaky(*, event, configuration):
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("database restarting")
        payout_handler(event=event, configuration=configuration)

    unregister_handler("payout")
    register_handler("payout", flaky)

    deliver(client, "processed", "EvtFlaky0001", django_capture_on_commit_callbacks)

    [row] = rows()
    assert (row.status, row.attempts, row.last_error, row.traceback) == ("processed", 2, "", "")
    payout.refresh_from_db()
    assert payout.status == "processed"


def test_a_late_processing_after_processed_is_recorded_and_changes_nothing(
    client, configuration, payout, payout_handler, django_capture_on_commit_callbacks
):
    for status, event_id in [("processed", "EvtLater0002"), ("processing", "EvtEarly0001")]:
        assert deliver(client, status, event_id, django_capture_on_commit_callbacks).status_code == 200

    assert [(row.event_id, row.status) for row in rows()] == [
        ("EvtLater0002", "processed"),
        ("EvtEarly0001", "processed"),
    ]
    payout.refresh_from_db()
    assert payout.status == "processed"
    assert history(payout) == [("queued", "processed", "applied"), ("processed", "processing", "ignored")]


def test_a_processed_row_is_not_run_again(
    configuration, payout, payout_handler, django_capture_on_commit_callbacks
):
    row = _stored_row(configuration)
    with django_capture_on_commit_callbacks(execute=True):
        webhook_event_process(event_id=row.pk)
        again = webhook_event_process(event_id=row.pk)

    assert (again.status, again.attempts) == ("processed", 1)
    assert history(payout) == [("queued", "processed", "applied")]


def _stored_row(configuration):
    from skinspire.gateways.providers.registry import provider_for
    from skinspire.gateways.webhooks.storage import webhook_event_store

    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0042", status="processed")
    headers = {"x-razorpay-event-id": "EvtStored0001"}
    event = provider_for(configuration).parse_webhook(body=body, headers=headers)
    row, _ = webhook_event_store(
        event=event, configuration=configuration, body=body, headers=headers, remote_ip=None, relay=False
    )
    return row


def test_a_batch_reads_its_configuration_once_and_a_failure_undoes_only_its_event(
    configuration, payout, payout_handler
):
    from skinspire.gateways.webhooks.routing import _adapter_cache

    _adapter_cache.clear()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from skinspire.gateways.providers.registry import provider_for
    from skinspire.gateways.webhooks.processing import webhook_events_process_batch
    from skinspire.gateways.webhooks.storage import webhook_event_store

    applied = []

    def handler(*, event, configuration):
        if event.event_id == "EvtBatch0002":
            TrialPayout.objects.filter(reference="PAY-0042").update(reference="UNDONE")
            raise RuntimeError("this one fails")
        applied.append(event.event_id)

    # In place of payout_handler's, which puts back the app's handler afterwards.
    unregister_handler("payout")
    register_handler("payout", handler)
    ids = []
    for number in (1, 2, 3):
        body = razorpay_payout_envelope(account_id=ACCOUNT, reference=f"PAY-B{number}", status="processed")
        headers = {"x-razorpay-event-id": f"EvtBatch000{number}"}
        event = provider_for(configuration).parse_webhook(body=body, headers=headers)
        row, _ = webhook_event_store(
            event=event, configuration=configuration, body=body, headers=headers, remote_ip=None, relay=False
        )
        ids.append(row.pk)

    with CaptureQueriesContext(connection) as queries:
        webhook_events_process_batch(ids)

    configuration_reads = [
        query for query in queries.captured_queries if 'FROM "gateways_gatewayconfiguration"' in query["sql"]
    ]
    # The configuration once for the batch, and its credentials once when the adapter is
    # first built in this process (cached per configuration version): not one per event.
    assert len(configuration_reads) == 2
    assert applied == ["EvtBatch0001", "EvtBatch0003"]
    assert sorted((row.event_id, row.status) for row in rows()) == [
        ("EvtBatch0001", "processed"),
        ("EvtBatch0002", "failed"),
        ("EvtBatch0003", "processed"),
    ]
    assert TrialPayout.objects.filter(reference="PAY-0042").exists()  # the failed event's write undone
