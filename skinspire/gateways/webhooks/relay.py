"""The outbox relay: verified rows (relay_pending) go to Celery in batches.

A relay, once started, looks for pending rows every GATEWAY_WEBHOOK_RELAY_POLL_SECONDS
(50 ms) until a time it was given (`until`), and once more after it: every row committed
before `until` is handed over within about one poll of its commit. Each look is a short
task that schedules the next one (a countdown), so no worker process sleeps in between. The receiver, after
its commit (`relay_nudge`), claims a shared flag holding that time; the request that
claims it enqueues one relay task covering the next GATEWAY_WEBHOOK_RELAY_WINDOW_SECONDS
(1 s), and every process that sees the flag remembers until when it is covered and talks
to nobody for the rest of the window. So the broker sees one relay message per window and
one processing message per batch, and a delivery costs no round trip of its own to Redis
(one per process per window). The periodic relay sweep (schedules.py) is the safety net:
it drains anything a lost nudge or relay message left behind, and requeues rows whose
batch message was lost after the hand-over.

Clocks: the relay's last look comes CLOCK_MARGIN after `until` by its own clock, so a web
process whose clock is up to that much ahead of the worker's is still covered. A relay
that starts late (a busy worker) is still correct: it looks at least once when it starts.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from skinspire.gateways.webhooks.counters import flag_claim
from skinspire.gateways.webhooks.models import WebhookEvent

NUDGE_KEY = "webhooks:relay-until"
CLOCK_MARGIN = 0.25
# A received row no worker has touched after this long has lost its batch message.
STRANDED_AFTER = timedelta(minutes=10)

# Until when (time.time()) a relay is known to look again, in this process.
_covered_until = [0.0]


def relay_nudge() -> None:
    """After a row is committed: make sure a relay looks after this moment."""
    now = time.time()
    if now < _covered_until[0]:  # the common case under load: nothing to do
        return
    from skinspire.gateways.webhooks.tasks import webhook_relay

    if webhook_relay.app.conf.task_always_eager:
        # Run here and now (tests, development without a broker): one look, nothing covered.
        webhook_relay.delay()
        return
    window = settings.GATEWAY_WEBHOOK_RELAY_WINDOW_SECONDS
    until = now + window
    claimed, current = flag_claim(NUDGE_KEY, repr(until), milliseconds=max(1, int(window * 1000)))
    if not claimed:
        covered = _seconds(current)
        if covered > now:  # another request's relay looks again after `covered`
            _covered_until[0] = covered
            return
        # The flag lapsed between the two commands, or its relay's window is over (clocks):
        # a relay of this request's own, without the flag.
    webhook_relay.delay(until=until)
    _covered_until[0] = until


def _seconds(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0


def relay_coverage_forget() -> None:
    """This process knows of no relay on its way (tests)."""
    _covered_until[0] = 0.0


def relay_drain() -> int:
    """Hand every pending row to a processing task, a batch per task. Returns the count."""
    handed_over = 0
    while batch := _take_batch():
        handed_over += len(batch)
    return handed_over


def relay_look(*, until: float | None = None) -> int:
    """One look (relay_drain); with `until`, the next look is scheduled a poll interval
    later, until a look has started after `until` plus the clock margin. The next look is a
    task of its own with a countdown, not a sleep: between looks the worker process is free
    for the processing batches. Returns the count handed over by this look."""
    started = time.time()
    handed_over = relay_drain()
    deadline = None if until is None else until + CLOCK_MARGIN
    if deadline is not None and started <= deadline:
        from skinspire.gateways.webhooks.tasks import webhook_relay

        wait = min(settings.GATEWAY_WEBHOOK_RELAY_POLL_SECONDS, deadline - started + 0.001)
        webhook_relay.apply_async(kwargs={"until": until}, countdown=wait)
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
