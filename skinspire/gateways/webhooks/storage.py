"""Writing inbox rows: a verified event once (both dedupe keys), a rejected delivery rarely."""

import hashlib
import logging

from django.conf import settings
from django.db.models.constants import OnConflict

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
    savepoint and no exception for a duplicate (either unique key). What Model.save() does
    underneath (QuerySet._insert), with the conflict clause bulk_create would add."""
    fields = [field for field in WebhookEvent._meta.concrete_fields if field is not WebhookEvent._meta.pk]
    # QuerySet._insert is Django's private API, which the stubs leave out.
    returned = WebhookEvent._base_manager._insert(  # type: ignore[attr-defined]
        [row], fields=fields, returning_fields=[WebhookEvent._meta.pk], on_conflict=OnConflict.IGNORE
    )
    if not returned or returned[0] is None:  # one row asked for: [None] when it conflicted
        return False
    row.pk = returned[0][0]
    row._state.adding = False
    row._state.db = WebhookEvent._base_manager.db
    return True


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
