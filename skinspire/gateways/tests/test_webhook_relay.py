"""The outbox relay: pending rows go to processing in batches, one message per batch, and
the sweep puts back rows whose message was lost."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.webhook_support import razorpay_payout_envelope, rows
from skinspire.gateways.webhooks import relay
from skinspire.gateways.webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital)


def stored(configuration, number: int, **fields) -> WebhookEvent:
    return WebhookEvent.objects.create(
        provider="razorpay",
        configuration=configuration,
        hospital=configuration.hospital,
        event_id=f"EvtRelay{number:05d}",
        content_hash=f"{number:064d}",
        event_type="payout.processed",
        object_type="payout",
        body=razorpay_payout_envelope(
            account_id=configuration.merchant_id, reference="PAY-1", status="processed"
        ),
        headers={"x-razorpay-event-id": f"EvtRelay{number:05d}"},
        signature_valid=True,
        **fields,
    )


def test_pending_rows_are_handed_over_in_batches(
    configuration, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from skinspire.gateways.webhooks import tasks

    settings.GATEWAY_WEBHOOK_RELAY_BATCH = 2
    batches = []
    monkeypatch.setattr(tasks.webhook_events_process, "delay", batches.append)
    pending = [stored(configuration, number, relay_pending=True) for number in range(5)]
    stored(configuration, 99)  # not pending: already handed over

    with django_capture_on_commit_callbacks(execute=True):
        assert relay.relay_drain() == 5

    ids = [row.pk for row in pending]
    assert batches == [ids[0:2], ids[2:4], ids[4:5]]
    assert not WebhookEvent.objects.filter(relay_pending=True).exists()


def test_the_sweep_requeues_rows_whose_message_was_lost(configuration, settings):
    settings.GATEWAY_WEBHOOK_MAX_ATTEMPTS = 3
    long_ago = timezone.now() - timedelta(minutes=11)
    lost = stored(configuration, 1, received_at=long_ago)
    retry_lost = stored(configuration, 2, status="failed", attempts=1, processed_at=long_ago)
    stored(configuration, 3)  # received just now: its batch may still be on its way
    stored(configuration, 4, status="failed", attempts=3, processed_at=long_ago)  # no attempts left
    stored(configuration, 5, status="processed", attempts=1, processed_at=long_ago)

    assert relay.relay_requeue_stranded() == 2

    assert [row.pk for row in rows(relay_pending=True)] == [lost.pk, retry_lost.pk]


@pytest.fixture
def relays(monkeypatch):
    """Not eager (as in production): the relay tasks enqueued, by their `until`."""
    from skinspire.celery_app import app
    from skinspire.gateways.webhooks import tasks

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    enqueued: list[float | None] = []
    monkeypatch.setattr(tasks.webhook_relay, "delay", lambda until=None: enqueued.append(until))
    return enqueued


def claims(monkeypatch) -> list[str]:
    """The flag claims sent to the cache (each one a round trip)."""
    sent: list[str] = []
    real_claim = relay.flag_claim

    def counted(key, value, *, milliseconds):
        sent.append(value)
        return real_claim(key, value, milliseconds=milliseconds)

    monkeypatch.setattr(relay, "flag_claim", counted)
    return sent


def test_one_relay_per_window_and_no_round_trip_inside_it(relays, monkeypatch, settings):
    settings.GATEWAY_WEBHOOK_RELAY_WINDOW_SECONDS = 30
    sent = claims(monkeypatch)
    before = time.time()

    for _ in range(20):
        relay.relay_nudge()

    [until] = relays
    assert before + 30 <= until <= time.time() + 30
    assert len(sent) == 1


def test_another_process_in_the_window_counts_on_the_relay_already_enqueued(relays, monkeypatch, settings):
    settings.GATEWAY_WEBHOOK_RELAY_WINDOW_SECONDS = 30
    sent = claims(monkeypatch)
    relay.relay_nudge()
    relay.relay_coverage_forget()  # as a second process, which has not nudged yet

    relay.relay_nudge()
    relay.relay_nudge()

    assert len(relays) == 1
    assert len(sent) == 2  # the second process asked once, then knew


def test_after_the_window_the_next_delivery_enqueues_a_new_relay(relays, settings):
    settings.GATEWAY_WEBHOOK_RELAY_WINDOW_SECONDS = 0.2
    relay.relay_nudge()
    time.sleep(0.3)

    relay.relay_nudge()

    assert len(relays) == 2
    assert relays[1] > relays[0] + 0.2


def test_a_flag_whose_window_is_over_does_not_stop_a_relay(relays, monkeypatch):
    # The flag's expiry and our clock disagree: it is still there, naming a past time.
    monkeypatch.setattr(relay, "flag_claim", lambda *args, **kwargs: (False, repr(time.time() - 1)))

    relay.relay_nudge()

    assert len(relays) == 1


def test_eager_mode_looks_once_at_once_and_covers_nothing(monkeypatch):
    from skinspire.gateways.webhooks import tasks

    looked: list[float | None] = []
    monkeypatch.setattr(relay, "relay_look", lambda *, until=None: looked.append(until) or 0)

    relay.relay_nudge()
    relay.relay_nudge()

    assert looked == [None, None]
    assert tasks.webhook_relay.app.conf.task_always_eager


def test_a_relay_looks_every_poll_until_its_time_and_once_after(monkeypatch, settings):
    from skinspire.gateways.webhooks import tasks

    settings.GATEWAY_WEBHOOK_RELAY_POLL_SECONDS = 0.05
    clock = [1000.0]
    looks: list[float] = []
    scheduled: list[tuple[dict, float]] = []
    monkeypatch.setattr(relay.time, "time", lambda: clock[0])
    monkeypatch.setattr(relay, "_take_batch", lambda: looks.append(clock[0]) and [])
    monkeypatch.setattr(
        tasks.webhook_relay, "apply_async", lambda kwargs, countdown: scheduled.append((kwargs, countdown))
    )

    relay.relay_look(until=1000.5)
    while scheduled:  # the worker runs each scheduled look when its countdown is over
        kwargs, countdown = scheduled.pop()
        clock[0] += countdown
        relay.relay_look(**kwargs)

    assert looks[-1] > 1000.5 + relay.CLOCK_MARGIN
    assert looks[-2] <= 1000.5 + relay.CLOCK_MARGIN
    gaps = [later - earlier for earlier, later in zip(looks, looks[1:], strict=False)]
    assert max(gaps) <= 0.05 + 1e-9
    assert 16 <= len(looks) <= 17  # 0.75 s of 50 ms polls, and the one after it


def test_a_look_without_a_time_schedules_nothing(monkeypatch):
    from skinspire.gateways.webhooks import tasks

    monkeypatch.setattr(tasks.webhook_relay, "apply_async", lambda **kwargs: pytest.fail("scheduled"))

    assert relay.relay_look() == 0


def test_a_relay_hands_over_what_arrives_between_its_looks(
    configuration, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from skinspire.gateways.webhooks import tasks

    batches: list[list[int]] = []
    scheduled: list[dict] = []
    monkeypatch.setattr(tasks.webhook_events_process, "delay", batches.append)
    monkeypatch.setattr(
        tasks.webhook_relay, "apply_async", lambda kwargs, countdown: scheduled.append(kwargs)
    )
    until = time.time() + 30

    with django_capture_on_commit_callbacks(execute=True):
        assert relay.relay_look(until=until) == 0
        stored(configuration, 7, relay_pending=True)  # committed between two looks
        assert relay.relay_look(**scheduled[-1]) == 1

    assert scheduled == [{"until": until}, {"until": until}]
    assert len(batches) == 1
