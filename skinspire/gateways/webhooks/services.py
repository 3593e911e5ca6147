"""Staff actions on the inbox."""

import functools
from collections.abc import Iterable

from django.db import transaction

from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import PermissionDeniedError
from skinspire.gateways.webhooks.models import WebhookEvent

ACTION_REPROCESS = "webhook_event.reprocess"
REPROCESS_PERMISSION = "gateways.reprocess_webhookevent"


def webhook_events_reprocess(*, events: Iterable[WebhookEvent], actor) -> list[WebhookEvent]:
    """Queue the verified rows among `events` to run again from their stored bodies, each
    audited. Rejected rows (never verified) are left alone. Returns the rows queued."""
    if not actor.has_perm(REPROCESS_PERMISSION):
        raise PermissionDeniedError("Reprocessing webhook events needs the reprocess permission.")
    queued = [event for event in events if event.status != WebhookEvent.Status.REJECTED]
    with transaction.atomic():
        for event in queued:
            audit_entry_record(
                action=ACTION_REPROCESS,
                actor=actor,
                target=event,
                changes={},
                message=f"Reprocess {event.provider} event {event.event_id} ({event.event_type}).",
            )
            transaction.on_commit(functools.partial(_reprocess_later, event.pk))
    return queued


def _reprocess_later(event_id: int) -> None:
    from skinspire.gateways.webhooks.tasks import webhook_event_reprocess

    webhook_event_reprocess.delay(event_id)
