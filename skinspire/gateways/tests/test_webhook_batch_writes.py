"""A processing batch writes its rows' attempts and status moves together at its end: one
UPDATE of the inbox rows and one INSERT of their history, with the same history a move
through the shared transition block records (from, to, applied/ignored, reason, event
reference), and a failing handler still undoes only its own event."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skinspire.core.models import StatusTransition
from skinspire.core.state_machine import StateMachine
from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.webhook_support import history, razorpay_payout_envelope
from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.gateways.webhooks.processing import webhook_event_process, webhook_events_process_batch
from skinspire.gateways.webhooks.registry import register_handler, unregister_handler
from skinspire.gateways.webhooks.storage import webhook_event_store

pytestmark = pytest.mark.django_db

ACCOUNT = "acc_BatchWrites001"


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital, merchant_id=ACCOUNT)


def stored(configuration, number: int) -> WebhookEvent:
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference=f"PAY-W{number}", status="processed")
    headers = {"x-razorpay-event-id": f"EvtWrites{number:04d}"}
    event = provider_for(configuration).parse_webhook(body=body, headers=headers)
    row, _ = webhook_event_store(
        event=event, configuration=configuration, body=body, headers=headers, remote_ip=None, relay=False
    )
    return row


def moves(row: WebhookEvent) -> list[tuple[str, str, str, str, str]]:
    records = StatusTransition.objects.filter(
        content_type__app_label="gateways", content_type__model="webhookevent", object_id=str(row.pk)
    ).order_by("id")
    return [
        (record.from_state, record.to_state, record.outcome, record.reason, record.event_reference)
        for record in records
    ]


@pytest.fixture
def handler_failing_on_two(payout_handler):
    def handler(*, event, configuration):
        if event.event_id == "EvtWrites0002":
            TrialPayout.objects.create(reference="WRITTEN-BEFORE-FAILING")
            raise RuntimeError("the ledger is closed for the night")

    unregister_handler("payout")
    register_handler("payout", handler)


def test_a_batch_writes_its_rows_and_their_history_once_each(
    configuration, handler_failing_on_two, django_capture_on_commit_callbacks
):
    rows = [stored(configuration, number) for number in (1, 2, 3)]

    with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as queries:
        result = webhook_events_process_batch([row.pk for row in rows])

    table = f'"{WebhookEvent._meta.db_table}"'
    updates = [
        query["sql"] for query in queries.captured_queries if query["sql"].startswith(f"UPDATE {table}")
    ]
    history_table = f'"{StatusTransition._meta.db_table}"'
    inserts = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith(f"INSERT INTO {history_table}")
    ]
    # The failed event is recorded as before, at once (its attempt, then its move through
    # the shared block); the other two together at the end.
    if connection.vendor == "postgresql":
        assert len(updates) == 3 and "FROM (VALUES" in updates[2]
    else:  # elsewhere (SQLite, `make run`'s default) an UPDATE per row, in the same place
        assert len(updates) == 4
    assert len(inserts) == 2  # the second holds both rows' moves
    assert "EvtWrites0001" in inserts[1] and "EvtWrites0003" in inserts[1]
    one, two, three = (WebhookEvent.objects.get(pk=row.pk) for row in rows)
    reference = "webhook:razorpay:EvtWrites000"
    assert moves(one) == [("received", "processed", "applied", "handled", f"{reference}1")]
    assert moves(three) == [("received", "processed", "applied", "handled", f"{reference}3")]
    assert moves(two) == [
        ("received", "failed", "applied", "the ledger is closed for the night", f"{reference}2")
    ]
    assert [(row.status, row.attempts, row.last_error, row.traceback) for row in (one, three)] == [
        ("processed", 1, "", ""),
        ("processed", 1, "", ""),
    ]
    assert one.processed_at is not None and three.processed_at is not None
    assert (two.status, two.attempts, two.last_error) == (
        "failed",
        1,
        "RuntimeError: the ledger is closed for the night",
    )
    assert not TrialPayout.objects.filter(reference="WRITTEN-BEFORE-FAILING").exists()
    # What the batch returns is what the database holds.
    assert [(result[row.pk].status, result[row.pk].attempts) for row in rows] == [
        ("processed", 1),
        ("failed", 1),
        ("processed", 1),
    ]


def test_an_event_without_a_handler_is_ignored_with_its_reason(configuration, no_payout_handler):
    row = stored(configuration, 1)

    done = webhook_event_process(event_id=row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (
        "ignored",
        1,
        "No handler is registered for payout events.",
    )
    assert (done.status, done.attempts) == ("ignored", 1)
    assert moves(row) == [
        (
            "received",
            "ignored",
            "applied",
            "no handler for this object type",
            "webhook:razorpay:EvtWrites0001",
        )
    ]


def test_reprocessing_a_processed_row_records_a_repeated_move(configuration, payout_handler):
    TrialPayout.objects.create(reference="PAY-W1")
    row = stored(configuration, 1)
    webhook_event_process(event_id=row.pk)

    again = webhook_event_process(event_id=row.pk, reprocess=True)

    assert (again.status, again.attempts) == ("processed", 2)
    assert [move[:3] for move in moves(row)] == [
        ("received", "processed", "applied"),
        ("processed", "processed", "ignored"),
    ]
    payout = TrialPayout.objects.get(reference="PAY-W1")
    assert history(payout) == [("queued", "processed", "applied"), ("processed", "processed", "ignored")]


def test_a_failed_row_that_succeeds_later_moves_from_failed(configuration, payout_handler):
    TrialPayout.objects.create(reference="PAY-W1")
    row = stored(configuration, 1)
    WebhookEvent.objects.filter(pk=row.pk).update(
        status="failed", attempts=1, last_error="Boom", traceback="Tb"
    )

    done = webhook_event_process(event_id=row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error, row.traceback) == ("processed", 2, "", "")
    assert (done.status, done.attempts) == ("processed", 2)
    assert [move[:3] for move in moves(row)] == [("failed", "processed", "applied")]


def test_a_move_the_table_refuses_fails_the_event_before_its_handler_runs(
    configuration, payout_handler, monkeypatch, django_capture_on_commit_callbacks
):
    """No inbox move is illegal today; should the table change, the event fails as a move
    through the shared block would make it fail, and its handler does not run."""
    calls = []
    unregister_handler("payout")
    register_handler("payout", lambda *, event, configuration: calls.append(event.event_id))
    strict = StateMachine(
        ranks={"received": 0, "ignored": 1, "failed": 2, "processed": 0, "rejected": 3},
        moves={"received": {"ignored", "failed"}, "ignored": {"failed"}, "failed": {"rejected"}},
        final={"processed", "rejected"},
    )
    monkeypatch.setattr(WebhookEvent, "state_machine", strict)
    row = stored(configuration, 1)

    with django_capture_on_commit_callbacks(execute=False):
        done = webhook_event_process(event_id=row.pk)

    assert calls == []
    assert (done.status, done.attempts) == ("failed", 1)
    assert done.last_error.startswith("IllegalTransitionError: ")
    assert [move[:3] for move in moves(row)] == [("received", "failed", "applied")]
