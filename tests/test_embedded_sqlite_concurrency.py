"""`make run`'s embedded default holds concurrent use: a web server and a Celery worker
(two processes, prefork concurrency 2, the filesystem broker) share one SQLite file.

Eight identical RazorpayX payout requests arrive at once (same X-Payout-Idempotency key,
the demo merchant's Basic auth): no 5xx, one payout, and its lifecycle runs to the end
(processed, both webhooks delivered). Then the file is held locked while the next payout's
lifecycle step is due, until that step has waited out the busy timeout, failed with "database
is locked" and been retried; the payout still ends processed. Real processes, real HTTP, a real
file; every wait is bounded. The worker's busy timeout is shorter than make run's (which the
web server keeps), so the step meets the lock sooner. CI's DATABASE_URL and REDIS_URL are
replaced in the subprocesses on purpose.
"""

import contextlib
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from skinspire.sandbox.demo import RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, RAZORPAYX_ACCOUNT_NUMBER
from tests.embedded_sqlite import sqlite_copy

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 8
START_SECONDS = 120  # seed + server and worker start, on a loaded 2-core machine
LIFECYCLE_SECONDS = 120
# The worker's SQLite "timeout" (base settings' is 20 s, the web server's here), from its
# DATABASE_URL: how long the step below waits on the held lock before it fails.
WORKER_BUSY_TIMEOUT_SECONDS = 5
LOCKED = "OperationalError('database is locked')"
REQUEST_SECONDS = 60
IDEMPOTENCY_KEY = "sqlite-concurrency-0001"
PAYOUT = {
    "account_number": RAZORPAYX_ACCOUNT_NUMBER,
    "amount": 150000,
    "currency": "INR",
    "mode": "IMPS",
    "purpose": "vendor bill",
    "reference_id": "INV-2026-0001",
    "narration": "Invoice 2026 0001",
    "fund_account": {
        "account_type": "bank_account",
        "bank_account": {
            "name": "Medline Supplies",
            "ifsc": "HDFC0000053",
            "account_number": "765432123456789",
        },
        "contact": {"name": "Medline Supplies", "type": "vendor", "reference_id": "SUP-1"},
    },
}
SEED = (
    "from django.core.management import call_command\n"
    "from skinspire.sandbox.models import SandboxMerchant\n"
    "call_command('seed_demo')\n"
    # Webhooks go to the sandbox's callback inspector, which answers 200: a delivery can finish.
    "SandboxMerchant.objects.filter(key_id='{key_id}').update(webhook_url='{site}/sandbox/')\n"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"gave up after {seconds} s waiting for {what}")


class EmbeddedSite:
    """The Procfile's web and worker processes against one SQLite file in `folder`."""

    def __init__(self, folder: Path, migrated: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = folder / "skinspire.sqlite3"
        self.logs = {name: folder / f"{name}.log" for name in ("web", "worker")}
        leaked = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SANDBOX_ENABLED"}
        self.environment = {key: value for key, value in os.environ.items() if key not in leaked}
        self.environment.update(
            DJANGO_SETTINGS_MODULE="skinspire.settings.local",
            DATABASE_URL=f"sqlite:///{self.database}",
            CELERY_FILESYSTEM_BROKER_DIR=str(folder / "broker"),
            SANDBOX_BASE_URL=f"{self.url}/sandbox",
            SANDBOX_STEP_SECONDS="1",
            PYTHONUNBUFFERED="1",
        )
        self.processes: list[subprocess.Popen] = []
        self.migrated = migrated

    def prepare(self) -> None:
        sqlite_copy(self.migrated, self.database)  # a fresh file as `manage.py migrate` leaves it
        script = SEED.format(key_id=RAZORPAY_KEY_ID, site=self.url)
        subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
            cwd=ROOT,
            env=self.environment,
            check=True,
            capture_output=True,
            timeout=START_SECONDS,
        )

    def start(self) -> None:
        commands = {
            "web": [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            "worker": [sys.executable, "-m", "celery", "-A", "skinspire", "worker", "--loglevel=INFO",
                       "--concurrency=2", "--hostname", f"sqlite-test-{self.port}@%h"],
        }  # fmt: skip
        environments = {
            "web": self.environment,
            "worker": {
                **self.environment,
                "DATABASE_URL": f"sqlite:///{self.database}?timeout={WORKER_BUSY_TIMEOUT_SECONDS}",
            },
        }
        for name, command in commands.items():
            with self.logs[name].open("w") as log:
                # A session of its own, so stopping it also stops the worker's pool children.
                self.processes.append(
                    subprocess.Popen(
                        command,
                        cwd=ROOT,
                        env=environments[name],
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        wait_until(self._web_answers, seconds=START_SECONDS, what="the web server")
        wait_until(lambda: " ready." in self.log("worker"), seconds=START_SECONDS, what="the worker")

    def _web_answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/sandbox/", timeout=5).status_code == 200
        except requests.ConnectionError:
            return False

    def stop(self) -> None:
        # SIGTERM to each main process only: the worker's warm shutdown stops its pool children
        # itself (given SIGTERM too, as a group, they died under it and it hung until SIGKILL).
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            with contextlib.suppress(ProcessLookupError):  # none of its session is left
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def log(self, name: str) -> str:
        return self.logs[name].read_text()

    def rows(self, sql: str) -> list[tuple]:
        """Read the file directly (read-only): what the processes committed."""
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=20) as connection:
            return connection.execute(sql).fetchall()

    def api(self, method: str, path: str, **options) -> requests.Response:
        return requests.request(
            method,
            f"{self.url}/sandbox/razorpay/v1/{path}",
            auth=(RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET),
            timeout=REQUEST_SECONDS,
            **options,
        )


@pytest.fixture
def site(tmp_path, migrated_sqlite):
    embedded = EmbeddedSite(tmp_path, migrated_sqlite)
    embedded.prepare()
    try:
        embedded.start()
        yield embedded
    finally:
        embedded.stop()


def create_payouts_at_once(site: EmbeddedSite) -> list[requests.Response]:
    start = threading.Barrier(REQUESTS, timeout=REQUEST_SECONDS)

    def create() -> requests.Response:
        start.wait()
        return site.api("POST", "payouts", json=PAYOUT, headers={"X-Payout-Idempotency": IDEMPOTENCY_KEY})

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        futures = [pool.submit(create) for _ in range(REQUESTS)]
        return [future.result(timeout=REQUEST_SECONDS * 2) for future in futures]


def payout_status(site: EmbeddedSite, payout_id: str) -> str:
    return site.api("GET", f"payouts/{payout_id}").json()["status"]


def test_concurrent_identical_payouts_on_sqlite_make_one_payout_whose_lifecycle_finishes(site):
    started = time.monotonic()
    responses = create_payouts_at_once(site)
    answered = time.monotonic()

    statuses = [response.status_code for response in responses]
    server_errors = sum(status >= 500 for status in statuses)
    logger.info("%d requests: statuses %s, %d 5xx, in %.1f s", REQUESTS, statuses, server_errors,
                answered - started)  # fmt: skip
    assert statuses == [200] * REQUESTS, [response.text[:300] for response in responses]
    payout_ids = {response.json()["id"] for response in responses}
    assert len(payout_ids) == 1
    payout_id = payout_ids.pop()
    listed = site.api("GET", "payouts", params={"account_number": RAZORPAYX_ACCOUNT_NUMBER}).json()
    assert (listed["count"], [item["id"] for item in listed["items"]]) == (1, [payout_id])

    wait_until(
        lambda: payout_status(site, payout_id) == "processed",
        seconds=LIFECYCLE_SECONDS,
        what=f"payout {payout_id} to be processed",
    )
    # The payouts' own events: the demo's payout link (seed_demo) has deliveries of its own.
    deliveries_sql = (
        "SELECT event_type, status, last_status_code FROM sandbox_sandboxwebhookdelivery"
        " WHERE event_type LIKE 'payout.%' ORDER BY id"
    )
    expected_deliveries = [("payout.initiated", "delivered", 200), ("payout.processed", "delivered", 200)]
    wait_until(
        lambda: site.rows(deliveries_sql) == expected_deliveries,
        seconds=LIFECYCLE_SECONDS,
        what="both payout webhooks to be delivered",
    )
    finished = time.monotonic()
    logger.info("lifecycle finished %.1f s after the requests were answered; worker retries: %d",
                finished - answered, site.log("worker").count(" retry: "))  # fmt: skip

    assert site.rows("SELECT count(*) FROM sandbox_sandboxobject WHERE entity = 'payout'") == [(1,)]
    assert "Traceback" not in site.log("web")
    assert "raised unexpected" not in site.log("worker")

    a_step_that_meets_a_locked_database_is_retried(site)


def a_step_that_meets_a_locked_database_is_retried(site: EmbeddedSite) -> None:
    created = site.api(
        "POST",
        "payouts",
        json={**PAYOUT, "reference_id": "INV-2026-0002", "narration": "Invoice 2026 0002"},
        headers={"X-Payout-Idempotency": "sqlite-concurrency-0002"},
    )
    assert (created.status_code, created.json()["status"]) == (200, "processing")
    # Its next step is due SANDBOX_STEP_SECONDS after commit: hold the write lock from before
    # then until the worker says the step met it (after its busy timeout) and will be retried.
    # The first payout's steps may have met the lock already: only a new failure counts.
    locked_before = site.log("worker").count(LOCKED)
    holder = sqlite3.connect(site.database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        held_from = time.monotonic()
        wait_until(
            lambda: site.log("worker").count(LOCKED) > locked_before,
            seconds=LIFECYCLE_SECONDS,
            what="the locked-out step to fail with 'database is locked'",
        )
        held = time.monotonic() - held_from
        assert payout_status(site, created.json()["id"]) == "processing"  # readers are not blocked
    finally:
        holder.close()
    wait_until(
        lambda: payout_status(site, created.json()["id"]) == "processed",
        seconds=LIFECYCLE_SECONDS,
        what="the locked-out payout to be processed",
    )
    worker_log = site.log("worker")
    logger.info("locked for %.1f s: the payout was processed after %d retries", held,
                worker_log.count(" retry: "))  # fmt: skip
    assert "sandbox_razorpay_payout_advance" in worker_log
    assert "retry: Retry in" in worker_log and LOCKED in worker_log
    assert "raised unexpected" not in worker_log
