"""The outbox relay: verified rows (relay_pending) go to Celery in batches.

The receiver only sets a short-lived flag in the cache after its commit (`relay_nudge`);
the first request to set it enqueues one relay task, and every row committed while the
flag stands is picked up by that task, which clears the flag before it looks. So the broker
sees one message per batch, not one per delivery. The periodic relay (schedules.py) is the
safety net: it drains anything a lost nudge left behind, and requeues rows whose batch
message was lost after the hand-over.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from skinspire.gateways.webhooks.counters import flag_clear, flag_set
from skinspire.gateways.webhooks.models import WebhookEvent

NUDGE_KEY = "webhooks:relay-nudged"
# A flag older than this is ignored: with a per-process cache (no Redis) the worker cannot
# clear the web process's flag, so it must lapse by itself.
NUDGE_SECONDS = 1
# A received row no worker has touched after this long has lost its batch message.
STRANDED_AFTER = timedelta(minutes=10)


def relay_nudge() -> None:
    """After a row is committed: make sure a relay task is on its way."""
    if flag_set(NUDGE_KEY, seconds=NUDGE_SECONDS):
        from skinspire.gateways.webhooks.tasks import webhook_relay

        webhook_relay.delay()


def relay_drain() -> int:
    """Hand every pending row to a processing task, a batch per task. Returns the count."""
    flag_clear(NUDGE_KEY)
    handed_over = 0
    while batch := _take_batch():
        handed_over += len(batch)
    return handed_over


def _take_batch() -> list[int]:
    from skinspire.gateways.webhooks.tasks import webhook_events_process

    with transaction.atomic():
        pending = WebhookEvent.objects.filter(relay_pending=True).order_by("id")
        # SKIP LOCKED: two relays running at once take different rows.
        ids = list(pending.select_for_update(skip_locked=True).values_list("id", flat=True)[: _batch_size()])
        if ids:
            WebhookEvent.objects.filter(id__in=ids).update(relay_pending=False)
            transaction.on_commit(lambda: webhook_events_process.delay(ids))
    return ids


def _batch_size() -> int:
    return max(1, settings.GATEWAY_WEBHOOK_RELAY_BATCH)


def relay_requeue_stranded(*, now=None) -> int:
    """Rows whose message was lost go back into the queue: received long ago and never
    attempted, or failed long ago with attempts left and no retry having run since."""
    cutoff = (now or timezone.now()) - STRANDED_AFTER
    never_attempted = Q(status=WebhookEvent.Status.RECEIVED, attempts=0, received_at__lt=cutoff)
    retry_lost = Q(
        status=WebhookEvent.Status.FAILED,
        attempts__lt=settings.GATEWAY_WEBHOOK_MAX_ATTEMPTS,
        processed_at__lt=cutoff,
    )
    return WebhookEvent.objects.filter(never_attempted | retry_lost, relay_pending=False).update(
        relay_pending=True
    )
