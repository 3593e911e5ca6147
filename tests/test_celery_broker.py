"""Tasks really travel through the configured broker (Redis in CI, files without it)."""

import time
import uuid

from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache

from skinspire.celery_app import app
from skinspire.core.tasks import PING_KEY, celery_ping


def wait_for(predicate, *, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return None


def test_a_task_sent_to_the_broker_is_run_by_a_worker(monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    token = uuid.uuid4().hex
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
        celery_ping.delay(token)
        ran_at = wait_for(lambda: cache.get(PING_KEY.format(token=token)), seconds=20)
    assert ran_at is not None
    expected_broker = settings.REDIS_URL or "filesystem://"
    assert app.conf.broker_url == expected_broker
