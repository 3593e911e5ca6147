"""An inbox event's status moves only along its table, in the database however it is written
(migration 0013; PostgreSQL and SQLite): the batch writer's own UPDATE included."""

import importlib

import pytest
from django.db import IntegrityError, connection, transaction

from skinspire.core.database_money_rules import moves_of
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("skinspire.gateways.migrations.0013_webhook_status_moves")


def refused():
    return pytest.raises(
        IntegrityError, match=r"gateways: webhook event (#\d+ )?refused: its status cannot make that move"
    )


@pytest.fixture
def event(db):
    configuration = GatewayConfigurationFactory()
    return WebhookEvent.objects.create(
        provider="razorpay", configuration=configuration, hospital=configuration.hospital, event_id="EvtMoves1",
        content_hash="0" * 64, event_type="payout.processed", object_type="payout", body=b"{}",
        signature_valid=True,
    )  # fmt: skip


def status_of(event: WebhookEvent) -> str:
    return WebhookEvent.objects.filter(pk=event.pk).values_list("status", flat=True).get()


def raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_migration_carries_the_models_current_status_table():
    """Fails when the status table changed without a migration installing its new moves."""
    (rules,) = MIGRATION.RULES
    assert rules.table == WebhookEvent._meta.db_table
    assert rules.moves == moves_of(WebhookEvent.state_machine), "add a migration"
    assert rules.states == tuple(WebhookEvent.state_machine.states), "add a migration"


def test_allowed_moves_pass(event):
    for status in ("ignored", "failed", "processed", "processed"):
        WebhookEvent.objects.filter(pk=event.pk).update(status=status)

    assert status_of(event) == "processed"


@pytest.mark.parametrize(
    ("path", "illegal"), [([], "rejected"), (["processed"], "failed"), (["failed"], "received")]
)
def test_other_moves_are_refused(event, path, illegal):
    for status in path:
        WebhookEvent.objects.filter(pk=event.pk).update(status=status)

    with refused(), transaction.atomic():
        WebhookEvent.objects.filter(pk=event.pk).update(status=illegal)
    with refused():
        raw("UPDATE gateways_webhookevent SET status = %s WHERE id = %s", [illegal, event.pk])

    assert status_of(event) == (path[-1] if path else "received")


def test_a_rejected_event_is_inserted_as_such_and_never_moves(event):
    event.pk, event.event_id, event.content_hash, event.status = None, "EvtMoves2", "1" * 64, "rejected"
    event.save()

    with refused(), transaction.atomic():
        WebhookEvent.objects.filter(pk=event.pk).update(status="processed")
