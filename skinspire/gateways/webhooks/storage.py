"""Writing inbox rows: a verified event once (both dedupe keys), a rejected delivery rarely."""

import hashlib
import logging

import psycopg
from django.conf import settings
from django.db import connections, router

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
    row = WebhookEvent(
        provider=configuration.provider,
        source=source,
        configuration=configuration,
        hospital_id=configuration.hospital_id,
        event_id=stored_event_id(event.event_id),
        content_hash=content_hash,
        event_type=event.event_type[:100],
        object_type=event.object_type[:40],
        object_id=event.object_id[:100],
        body=body,
        headers=kept_headers(headers),
        signature_valid=True,
        remote_ip=remote_ip or None,
        relay_pending=relay,
    )
    if _insert_unless_duplicate(row):
        return row, True
    return _existing(row), False


def _insert_unless_duplicate(row: WebhookEvent) -> bool:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: one statement, one round trip, no
    savepoint and no exception for a duplicate (either unique key). The statement is built
    once per process; each value goes through its field's pre_save and get_db_prep_save, as
    Model.save() would, without compiling the query for every delivery. On PostgreSQL it is
    a prepared statement with server-side parameters (below)."""
    connection = connections[router.db_for_write(WebhookEvent)]
    values = [_db_value(field, row, connection) for field in _INSERT_FIELDS]
    if _prepared(connection):
        returned = _insert_prepared(connection, values)
    else:
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(connection), values)
            returned = cursor.fetchone()
    if returned is None:  # it conflicted
        return False
    row.pk = returned[0]
    row._state.adding = False
    row._state.db = connection.alias
    return True


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


_INSERT_FIELDS = [field for field in WebhookEvent._meta.concrete_fields if field is not WebhookEvent._meta.pk]
_insert_statements: dict[str, str] = {}


def _insert_sql(connection) -> str:
    statement = _insert_statements.get(connection.alias)
    if statement is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in _INSERT_FIELDS)
        values = ", ".join(["%s"] * len(_INSERT_FIELDS))
        # Names from the model's metadata, quoted; every value is a parameter.
        statement = (
            f"INSERT INTO {quote(WebhookEvent._meta.db_table)} ({columns}) VALUES ({values}) "  # noqa: S608
            f"ON CONFLICT DO NOTHING RETURNING {quote(WebhookEvent._meta.pk.column)}"
        )
        _insert_statements[connection.alias] = statement
    return statement


def _db_value(field, row: WebhookEvent, connection):
    return field.get_db_prep_save(field.pre_save(row, True), connection=connection)


def _existing(row: WebhookEvent) -> WebhookEvent:
    keys = WebhookEvent.objects.filter(provider=row.provider)
    found = keys.filter(event_id=row.event_id).first()
    if found is None and row.content_hash:
        found = keys.filter(content_hash=row.content_hash).first()
    if found is None:  # pragma: no cover - a conflict is always on one of the two keys
        raise RuntimeError(f"webhook {row.event_id}: duplicate of no stored row")
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
