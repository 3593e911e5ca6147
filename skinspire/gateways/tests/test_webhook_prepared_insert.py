"""The receiver's insert on PostgreSQL: a statement prepared once per connection, with the
same results as through Django's cursor (stored once, a duplicate on either key is None)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.webhook_support import razorpay_payout_envelope
from skinspire.gateways.webhooks import storage
from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.gateways.webhooks.storage import body_digest, webhook_event_store

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ACCOUNT = "acc_PreparedInsert1"


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital, merchant_id=ACCOUNT)


def store(configuration, *, event_id: str, reference: str = "PAY-0001"):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference=reference, status="processed")
    headers = {"x-razorpay-event-id": event_id, "x-razorpay-signature": "ab" * 32}
    event = provider_for(configuration).parse_webhook(body=body, headers=headers)
    return webhook_event_store(
        event=event,
        configuration=configuration,
        body=body,
        headers=headers,
        remote_ip="203.0.113.7",
        content_hash=body_digest(body),
    )


def prepared_inserts() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f'INSERT INTO "{WebhookEvent._meta.db_table}"%'],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def postgresql(postgres_only):
    """These tests are about PostgreSQL's prepared statements (skipped on SQLite, as every
    PostgreSQL-only test is; CI runs them)."""


def test_the_insert_is_prepared_once_and_stores_every_field(postgresql, configuration):
    row, created = store(configuration, event_id="EvtPrepared001")
    again, created_again = store(configuration, event_id="EvtPrepared002", reference="PAY-0002")

    assert (created, created_again) == (True, True)
    # psycopg prepares it once per connection, whichever test on this connection came first.
    assert prepared_inserts() == 1
    stored = WebhookEvent.objects.get(pk=row.pk)
    assert (stored.event_id, stored.object_id, stored.status, stored.relay_pending) == (
        "EvtPrepared001",
        "pout_Trial0001",
        "received",
        True,
    )
    assert bytes(stored.body) == razorpay_payout_envelope(
        account_id=ACCOUNT, reference="PAY-0001", status="processed"
    )
    assert stored.headers == {"x-razorpay-event-id": "EvtPrepared001", "x-razorpay-signature": "ab" * 32}
    assert (stored.remote_ip, stored.hospital_id, stored.configuration_id) == (
        "203.0.113.7",
        configuration.hospital_id,
        configuration.pk,
    )
    assert stored.received_at is not None and stored.content_hash == row.content_hash
    assert again.pk > row.pk


def test_a_duplicate_through_the_prepared_insert_is_the_first_row(postgresql, configuration):
    first, _ = store(configuration, event_id="EvtPrepared001")

    same_id, created_same_id = store(configuration, event_id="EvtPrepared001", reference="PAY-0009")
    same_body, created_same_body = store(configuration, event_id="EvtPrepared999")

    assert (created_same_id, created_same_body) == (False, False)
    assert same_id.pk == same_body.pk == first.pk
    assert WebhookEvent.objects.count() == 1


@pytest.fixture
def not_prepared(monkeypatch):
    def refuse(connection, values):
        raise AssertionError("the prepared insert was used")

    monkeypatch.setattr(storage, "_insert_prepared", refuse)


def test_while_queries_are_recorded_the_insert_goes_through_django(postgresql, configuration, not_prepared):
    with CaptureQueriesContext(connection) as queries:
        _, created = store(configuration, event_id="EvtPrepared001")

    assert created
    assert any("INSERT INTO" in query["sql"] and "ON CONFLICT" in query["sql"] for query in queries)


def test_the_setting_turns_it_off(postgresql, configuration, settings, not_prepared):
    settings.GATEWAY_WEBHOOK_PREPARED_INSERT = False

    _, created = store(configuration, event_id="EvtPrepared001")

    assert created
    assert WebhookEvent.objects.get().event_id == "EvtPrepared001"


def test_the_receivers_insert_stores_what_a_model_save_would(postgresql, configuration, settings):
    """The insert's values go to the driver without each field's conversion where that is
    the identity: every column equals what Model.save() stores from the same values."""
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")
    headers = {"x-razorpay-event-id": "EvtPrepared001", "x-razorpay-signature": "ab" * 32}
    event = provider_for(configuration).parse_webhook(body=body, headers=headers)
    row_id, values = storage.webhook_event_insert(
        event=event,
        configuration=configuration,
        body=body,
        headers=headers,
        remote_ip="2001:db8::7",
        content_hash=body_digest(body),
    )
    saved = WebhookEvent(**{**values, "event_id": "EvtSaved0001", "content_hash": "0" * 64})
    saved.save()

    inserted = WebhookEvent.objects.get(pk=row_id)
    saved.refresh_from_db()
    columns = [field.attname for field in WebhookEvent._meta.concrete_fields]
    differ = {"id", "event_id", "content_hash"}
    assert {name: getattr(inserted, name) for name in columns if name not in differ} == {
        name: getattr(saved, name) for name in columns if name not in differ
    }
    assert (inserted.remote_ip, inserted.status, inserted.attempts, inserted.relay_pending) == (
        "2001:db8::7",
        "received",
        0,
        True,
    )
