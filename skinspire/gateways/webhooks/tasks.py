"""Celery tasks of the inbox: each takes ids and calls a service (CONVENTIONS 3)."""

from celery import shared_task

from skinspire.gateways.webhooks import relay, status_sync
from skinspire.gateways.webhooks.processing import webhook_event_process, webhook_events_process_batch


@shared_task
def webhook_relay(until: float | None = None) -> int:
    """Hand pending inbox rows to processing tasks, in batches; look again until `until`."""
    return relay.relay_look(until=until)


@shared_task
def webhook_relay_sweep() -> int:
    """Periodic safety net: requeue stranded rows, then drain."""
    relay.relay_requeue_stranded()
    return relay.relay_drain()


@shared_task
def webhook_events_process(event_ids: list[int]) -> None:
    """A relay batch in one transaction, one commit (one WAL flush) for the batch."""
    webhook_events_process_batch(event_ids)


@shared_task
def webhook_event_retry(event_id: int) -> None:
    webhook_event_process(event_id=event_id)


@shared_task
def webhook_event_reprocess(event_id: int) -> None:
    webhook_event_process(event_id=event_id, reprocess=True)


@shared_task
def webhook_status_sync() -> dict[str, int]:
    return status_sync.status_sync_run()
