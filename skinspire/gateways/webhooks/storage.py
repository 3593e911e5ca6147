"""Writing inbox rows: a verified event once (both dedupe keys), a rejected delivery rarely."""

import hashlib
import logging
from typing import Any

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router

from skinspire.core.sql import insert_fields, insert_statement
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import GatewayEvent
from skinspire.gateways.webhooks.counters import count_this_minute
from skinspire.gateways.webhooks.models import WebhookEvent

logger = logging.getLogger(__name__)

# The headers worth keeping: signatures, the event id, who sent it and as what.
KEPT_HEADERS = (
    "content-type",
    "user-agent",
    "x-razorpay-signature",
    "x-razorpay-event-id",
    "x-checksum",
    "x-mid",
)
EVENT_ID_LENGTH = WebhookEvent._meta.get_field("event_id").max_length or 0
REJECTED_ROWS_KEY = "webhooks:rejected-rows:{provider}:{address}"


def kept_headers(headers: dict[str, str]) -> dict[str, str]:
    lowered = {str(name).lower().replace("_", "-"): str(value) for name, value in headers.items()}
    return {name: lowered[name][:1000] for name in KEPT_HEADERS if name in lowered}


def stored_event_id(event_id: str) -> str:
    """The event id as the column holds it: a longer one (Razorpay's header is not signed,
    so anyone replaying a body may send any) by its digest, still unique per id."""
    if len(event_id) <= EVENT_ID_LENGTH:
        return event_id
    return f"sha256:{hashlib.sha256(event_id.encode('utf-8', 'surrogatepass')).hexdigest()}"


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def webhook_event_store(
    *,
    event: GatewayEvent,
    configuration: GatewayConfiguration,
    body: bytes,
    headers: dict[str, str],
    remote_ip: str | None,
    source: str = WebhookEvent.Source.WEBHOOK,
    content_hash: str = "",
    relay: bool = True,
) -> tuple[WebhookEvent, bool]:
    """Insert the event's row, queued for the relay if `relay`; (row, created). A row already holding
    the event id or the content hash makes this delivery a duplicate: (that row, False)."""
    values = _row_values(
        event=event,
        configuration=configuration,
        body=body,
        headers=headers,
        remote_ip=remote_ip,
        source=source,
        content_hash=content_hash,
        relay=relay,
    )
    pk = _insert_unless_duplicate(values)
    if pk is None:
        return webhook_event_existing(values), False
    values.pop("configuration_id")
    row = WebhookEvent(pk=pk, configuration=configuration, **values)
    row._state.adding = False
    row._state.db = router.db_for_write(WebhookEvent)
    return row, True


def webhook_event_insert(
    *,
    event: GatewayEvent,
    configuration: GatewayConfiguration,
    body: bytes,
    headers: dict[str, str],
    remote_ip: str | None,
    content_hash: str,
) -> tuple[int | None, dict[str, Any]]:
    """The receiver's store: webhook_event_store's insert (a webhook, queued for the relay)
    without building a model object the receiver would not read. (The new row's id, or None
    for a duplicate; the values it was given, for webhook_event_existing.)"""
    values = _row_values(
        event=event,
        configuration=configuration,
        body=body,
        headers=headers,
        remote_ip=remote_ip,
        source=WebhookEvent.Source.WEBHOOK,
        content_hash=content_hash,
        relay=True,
    )
    return _insert_unless_duplicate(values), values


def _row_values(
    *,
    event: GatewayEvent,
    configuration: GatewayConfiguration,
    body: bytes,
    headers: dict[str, str],
    remote_ip: str | None,
    source: str,
    content_hash: str,
    relay: bool,
) -> dict[str, Any]:
    """Every column of the new row by attribute name: the delivery's, then the model's defaults."""
    values = {
        "provider": configuration.provider,
        "source": source,
        "configuration_id": configuration.pk,
        "hospital_id": configuration.hospital_id,
        "event_id": stored_event_id(event.event_id),
        "content_hash": content_hash,
        "event_type": event.event_type[:100],
        "object_type": event.object_type[:40],
        "object_id": event.object_id[:100],
        "body": body,
        "headers": kept_headers(headers),
        "signature_valid": True,
        "remote_ip": remote_ip or None,
        "relay_pending": relay,
    }
    for field, _ in _INSERT_FIELDS:
        if field.attname not in values:
            values[field.attname] = field.get_default()
    return values


def _insert_unless_duplicate(values: dict[str, Any]) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: one statement, one round trip, no
    savepoint and no exception for a duplicate (either unique key); the new id, or None.
    The statement is built once per process. The values go to the driver as they are,
    except for the columns whose field converts them for the database (JSON, bytes, an
    address), which go through that field's get_db_prep_save as Model.save() would send
    them: converting all twenty through their fields, and building a model object to read
    them from, was a fifth of the receiver's CPU per delivery. On PostgreSQL it is a
    prepared statement with server-side parameters (below)."""
    connection = connections[router.db_for_write(WebhookEvent)]
    params = [
        values[field.attname] if plain else field.get_db_prep_save(values[field.attname], connection)
        for field, plain in _INSERT_FIELDS
    ]
    if _prepared(connection):
        returned = _insert_prepared(connection, params)
    else:
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(connection), params)
            returned = cursor.fetchone()
    return None if returned is None else returned[0]  # None: it conflicted


def _prepared(connection) -> bool:
    # Not while queries are being recorded (DEBUG, CaptureQueriesContext): those go through
    # Django's cursor, so what a developer or a test looks at still lists the insert.
    return (
        connection.vendor == "postgresql"
        and settings.GATEWAY_WEBHOOK_PREPARED_INSERT
        and not connection.queries_logged
    )


def _insert_prepared(connection, values: list):
    """The insert as a statement prepared once per connection, parameters bound by the
    server: PostgreSQL neither parses nor plans it again, and psycopg sends the values as
    they are instead of quoting them into the text (Django's cursor binds on the client)."""
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    raw = connection.connection
    # Django turns psycopg's automatic preparation off (prepare_threshold None), which also
    # refuses an explicit prepare=True; for this one statement a threshold no other query
    # reaches lets it through, and the connection goes back to what Django set.
    threshold = raw.prepare_threshold
    raw.prepare_threshold = threshold if threshold is not None else ONLY_WHEN_ASKED
    try:
        with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
            cursor.execute(_insert_sql(connection), values, prepare=True)
            return cursor.fetchone()
    finally:
        raw.prepare_threshold = threshold


ONLY_WHEN_ASKED = 2**31 - 1  # executions before psycopg would prepare a query by itself


def _plain(field) -> bool:
    """Whether the driver takes the field's Python value as the field itself would send it
    (get_db_prep_save returns it unchanged): text, numbers, booleans, foreign keys, and
    aware datetimes (USE_TZ; the values here come from timezone.now() or are None)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):  # pragma: no cover
        raise ImproperlyConfigured(f"{field}: the receiver's insert runs no pre_save; set its value.")
    plain = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)
    return isinstance(field, plain) or type(field) is models.DateTimeField


# (field, plain) for every column but the id, in the insert's order.
_INSERT_FIELDS = [(field, _plain(field)) for field in insert_fields(WebhookEvent)]
_insert_statements: dict[str, str] = {}


def _insert_sql(connection) -> str:
    statement = _insert_statements.get(connection.alias)
    if statement is None:
        pk = connection.ops.quote_name(WebhookEvent._meta.pk.column)
        statement = f"{insert_statement(WebhookEvent, connection)} ON CONFLICT DO NOTHING RETURNING {pk}"
        _insert_statements[connection.alias] = statement
    return statement


def webhook_event_existing(values: dict[str, Any]) -> WebhookEvent:
    """The row an insert of `values` (_row_values) conflicted with: same event id, or
    same content."""
    keys = WebhookEvent.objects.filter(provider=values["provider"])
    found = keys.filter(event_id=values["event_id"]).first()
    if found is None and values["content_hash"]:
        found = keys.filter(content_hash=values["content_hash"]).first()
    if found is None:  # pragma: no cover - a conflict is always on one of the two keys
        raise RuntimeError(f"webhook {values['event_id']}: duplicate of no stored row")
    return found


def webhook_rejection_store(
    *,
    provider: str,
    configuration: GatewayConfiguration | None,
    body: bytes,
    headers: dict[str, str],
    remote_ip: str | None,
    reason: str,
    signature_valid: bool = False,
) -> WebhookEvent | None:
    """Keep a delivery that failed verification or parsing, for the record, unless this
    address has already had its share of rejected rows this minute (no way to fill a disk)."""
    key = REJECTED_ROWS_KEY.format(provider=provider, address=remote_ip or "-")
    if count_this_minute(key) > settings.GATEWAY_WEBHOOK_REJECTED_ROWS_PER_MINUTE:
        logger.warning(
            "webhook %s from %s rejected (%s); not stored: over the limit", provider, remote_ip, reason
        )
        return None
    limit = settings.GATEWAY_WEBHOOK_MAX_BODY_BYTES
    return WebhookEvent.objects.create(
        provider=provider,
        configuration=configuration,
        hospital_id=configuration.hospital_id if configuration else None,
        body=body[:limit],
        headers=kept_headers(headers),
        signature_valid=signature_valid,
        remote_ip=remote_ip or None,
        status=WebhookEvent.Status.REJECTED,
        last_error=reason,
    )
