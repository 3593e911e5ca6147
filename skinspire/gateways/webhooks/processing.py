"""Process later: inbox rows through their handlers, exactly once, with retries.

The rows are locked for the whole run (skinspire.core.locks), so two workers given the
same row (a requeue, a reprocess beside a retry) take turns, and the second finds it done.
Each handler runs in the batch's transaction, in a savepoint of its own: its writes and the
row's `processed` commit together, or its writes are undone and the row is `failed` with
the error and traceback, to be retried, while the batch's other events go on. The rows'
attempts and status moves are written for the whole batch at its end (outcomes.py).
"""

import logging
import traceback as traceback_module

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from skinspire.core import locks
from skinspire.core.state_machine import Verdict
from skinspire.core.transitions import transition
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import GatewayEvent
from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.gateways.webhooks.outcomes import Outcome, outcomes_write
from skinspire.gateways.webhooks.registry import handler_for
from skinspire.gateways.webhooks.routing import webhook_adapter
from skinspire.gateways.webhooks.serialization import event_from_json

logger = logging.getLogger(__name__)
Status = WebhookEvent.Status


def webhook_event_process(*, event_id: int, reprocess: bool = False) -> WebhookEvent:
    """Run the row's handler unless the row is already done (or `reprocess` says run it
    again from its stored body). Never raises for a handler's failure: records it."""
    return webhook_events_process_batch([event_id], reprocess=reprocess)[event_id]


def webhook_events_process_batch(event_ids: list[int], *, reprocess: bool = False) -> dict[int, WebhookEvent]:
    """A relay batch in one transaction: its rows locked at once (in id order), each
    configuration read once, each handler in a savepoint of its own (a failing handler
    undoes only its event, which is recorded as failed and retried), the rows' attempts
    and status moves written together at the end (outcomes.py), one commit. Returns the
    rows, as the database holds them."""
    event_ids = list(dict.fromkeys(event_ids))
    with transaction.atomic():
        rows = {row.pk: row for row in locks.lock_rows(WebhookEvent._base_manager.filter(pk__in=event_ids))}
        missing = [event_id for event_id in event_ids if event_id not in rows]
        if missing:
            raise WebhookEvent.DoesNotExist(f"No inbox rows {missing}.")
        configurations: dict[int, GatewayConfiguration] = {}
        done: list[Outcome] = []
        for event_id in event_ids:
            row = rows[event_id]
            if row.status == Status.REJECTED or (row.is_done and not reprocess):
                continue
            # The inbox is the one place that must survive any handler's failure, whatever
            # it raises (dj-stripe does the same): it is recorded on the row and retried.
            try:
                done.append(_run(row, configurations))
            except Exception as error:  # noqa: BLE001
                rows[event_id] = _record_failure(event_id=event_id, error=error)
        outcomes_write(done)
    return rows


def _run(row: WebhookEvent, configurations: dict[int, GatewayConfiguration]) -> Outcome:
    """The event through its handler, in a savepoint of its own, and what to write for it.
    Raises whatever stopped it (reading the event, or the handler), its writes undone."""
    with transaction.atomic():
        configuration = configurations.get(row.configuration_id or 0)
        if configuration is None:
            configuration = GatewayConfiguration.objects.without_secrets().get(pk=row.configuration_id)
            configurations[configuration.pk] = configuration
        event = webhook_event_parsed(row=row, configuration=configuration)
        handler = handler_for(event.object_type)
        target = Status.PROCESSED if handler else Status.IGNORED
        reason = "handled" if handler else "no handler for this object type"
        if WebhookEvent.state_machine.judge(row.status, target) is Verdict.ILLEGAL:
            # Refused, with nothing written, by the shared block itself, before the handler runs.
            transition(instance=row, to=target, reason=reason, event_reference=_reference(row))
        processed_at = timezone.now()
        if handler is not None:
            handler(event=event, configuration=configuration)
    return Outcome(
        row=row,
        target=target,
        reason=reason,
        event_reference=_reference(row),
        processed_at=processed_at,
        last_error="" if handler else f"No handler is registered for {event.object_type or 'this'} events.",
        decided_at=timezone.now(),
    )


def webhook_event_parsed(*, row: WebhookEvent, configuration: GatewayConfiguration) -> GatewayEvent:
    """The normalised event, from the stored body: the adapter parses a webhook again; a
    status-sync row holds the event itself."""
    body = bytes(row.body)
    if row.source == WebhookEvent.Source.STATUS_SYNC:
        return event_from_json(body)
    return webhook_adapter(configuration).parse_webhook(body=body, headers=row.headers)


def _record_failure(*, event_id: int, error: Exception) -> WebhookEvent:
    details = "".join(traceback_module.format_exception(error))
    with transaction.atomic():
        row = locks.lock_row(WebhookEvent, pk=event_id)
        WebhookEvent.objects.filter(pk=event_id).update(
            attempts=F("attempts") + 1,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            traceback=details[-20000:],
        )
        row.refresh_from_db()
        transition(
            instance=row,
            to=Status.FAILED,
            reason=str(error)[:200] or "failed",
            event_reference=_reference(row),
        )
        row.refresh_from_db()
        if row.attempts < settings.GATEWAY_WEBHOOK_MAX_ATTEMPTS:
            countdown = settings.GATEWAY_WEBHOOK_RETRY_SECONDS * 2 ** (row.attempts - 1)
            transaction.on_commit(lambda: _retry_later(event_id, countdown))
    logger.warning("webhook row %s failed (attempt %s): %s", event_id, row.attempts, row.last_error)
    return row


def _retry_later(event_id: int, countdown: int) -> None:
    from skinspire.gateways.webhooks.tasks import webhook_event_retry

    webhook_event_retry.apply_async(args=[event_id], countdown=countdown)


def _reference(row: WebhookEvent) -> str:
    return f"webhook:{row.provider}:{row.event_id}"[:200]
