"""Tasks really travel through the configured broker (Redis in CI, files without it)."""

import time
import uuid
from queue import Empty

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from kombu import Connection
from kombu.transport import filesystem

from skinspire.celery_app import app
from skinspire.core.tasks import PING_KEY, celery_ping
from skinspire.core.tests.waiting import wait_for
from skinspire.settings.celery import FILESYSTEM_BROKER_TRANSPORT, filesystem_broker_options


def test_a_task_sent_to_the_broker_is_run_by_a_worker(monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    token = uuid.uuid4().hex
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
        celery_ping.delay(token)
        ran_at = wait_for(lambda: cache.get(PING_KEY.format(token=token)), seconds=20)
    assert ran_at is not None
    expected_broker = settings.REDIS_URL or "filesystem://"
    assert app.conf.broker_url == expected_broker


BUSY_TASKS = 40
TASK_SECONDS = 0.02


def test_the_file_broker_keeps_a_busy_worker_fed(tmp_path):
    """`make run`'s broker with the worker's settings (2 at a time, one prefetched each, acked
    late): short tasks queued together run at pool speed. With kombu's default 1 s poll the
    consumer slept a second each time both slots were full: about 2 tasks a second, 20 s here."""
    files = Celery("file-broker-throughput", broker="filesystem://", set_as_current=False)
    files.conf.update(
        broker_transport=FILESYSTEM_BROKER_TRANSPORT,
        broker_transport_options=filesystem_broker_options(tmp_path),
        worker_prefetch_multiplier=settings.CELERY_WORKER_PREFETCH_MULTIPLIER,
        task_acks_late=settings.CELERY_TASK_ACKS_LATE,
        task_ignore_result=True,
    )
    finished: list[float] = []

    @files.task(name="file_broker_throughput.short")
    def short() -> None:
        time.sleep(TASK_SECONDS)
        finished.append(time.monotonic())

    with start_worker(files, perform_ping_check=False, pool="threads", concurrency=2, loglevel="WARNING"):
        started = time.monotonic()
        for _ in range(BUSY_TASKS):
            short.delay()
        assert wait_for(lambda: len(finished) == BUSY_TASKS, seconds=60)
    took = max(finished) - started
    # At pool speed it is 40 x 0.02 s / 2 = 0.4 s plus a poll per pair; a second per pair was 20 s.
    assert took < 6, f"{BUSY_TASKS} short tasks took {took:.1f} s"


def test_a_worker_polling_while_a_message_is_published_never_reads_it_half_written(tmp_path, monkeypatch):
    """kombu's filesystem `_put` created the file, then wrote it: a poll in between took the
    empty file, its JSON decoding crashed the worker (and `make run` with it) and the message
    was gone. Here the poll comes while the message is being serialized, in the middle of
    the publish: it must find nothing, and the message must then arrive whole."""
    options = {"transport_options": filesystem_broker_options(tmp_path)}
    with (
        Connection("filesystem://", transport=FILESYSTEM_BROKER_TRANSPORT, **options) as publisher,
        Connection("filesystem://", transport=FILESYSTEM_BROKER_TRANSPORT, **options) as consumer,
    ):
        publishing, polling = publisher.channel(), consumer.channel()
        polled: list[object] = []
        serialize = filesystem.dumps

        def serialize_while_a_worker_polls(payload):
            try:
                polled.append(polling._get("celery"))
            except Empty:
                polled.append("nothing")
            return serialize(payload)

        monkeypatch.setattr(filesystem, "dumps", serialize_while_a_worker_polls)
        publishing._put("celery", {"body": "whole", "n": 1})

        assert polled == ["nothing"]
        assert polling._get("celery") == {"body": "whole", "n": 1}
        with pytest.raises(Empty):
            polling._get("celery")
