"""The webhook receiver under gunicorn (2 workers) on PostgreSQL, beside a bare 204 view:
`make bench-webhooks`. Prints its figures; not a test.

1. Throughput: the same closed loop (CONCURRENCY clients, DURATION seconds) against the
   bare view and the Razorpay receiver (a distinct signed event per request), twice each,
   alternating; requests/s, p50 and p99 of each, and the ratio receiver / bare.
2. Acknowledgement at RATE requests/s (open loop: latency counted from when each request
   was due, so a stall is not hidden): p50/p99. Target p99 <= 250 ms.
3. End to end at RATE events/s with a Celery worker on Redis: delivery -> row processed
   (relay, worker, handler lookup, state move): p50/p99. Target p99 < 1 s.

Needs DATABASE_URL (PostgreSQL) and REDIS_URL; BENCH_PORT picks gunicorn's port (else a free one).
BENCH_SYNCHRONOUS_COMMIT=off runs the whole bench with the database's synchronous_commit off,
only to show what the commit's WAL flush costs: the inbox never runs so (an acknowledged
webhook must survive a crash). Works on a throwaway database
`bench_webhooks_<name>`, dropped afterwards. Only processes it started are stopped.
"""

import hashlib
import hmac
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from figures import percentile
from processes import free_port, group_cpu_seconds, pids_cpu_seconds, start, stop, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
DURATION = float(os.environ.get("BENCH_SECONDS", "8"))
RATE = int(os.environ.get("BENCH_RATE", "200"))
# Threads per gunicorn worker (gthread): a request waiting on PostgreSQL or Redis leaves the
# CPU to another. The same server configuration serves both views.
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
ACCOUNT = "acc_BenchAccount001"
SECRET = "bench_whsec_0000000001"
PATH = "/api/gateway/webhook/razorpay"
SYNCHRONOUS_COMMIT = os.environ.get("BENCH_SYNCHRONOUS_COMMIT", "on")


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench-webhooks needs DATABASE_URL pointing at PostgreSQL.")
    if not os.environ.get("REDIS_URL"):
        sys.exit("bench-webhooks needs REDIS_URL (Celery's broker and the cache).")
    parts = urlsplit(url)
    name = f"bench_webhooks_{parts.path.lstrip('/') or 'postgres'}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
        if SYNCHRONOUS_COMMIT == "off":
            connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def prepare(env: dict[str, str]) -> None:
    """Migrate and add one Razorpay configuration, in a child process with the bench settings."""
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from skinspire.core.models import Hospital;"
        "from skinspire.gateways.models import GatewayConfiguration;"
        "hospital = Hospital.objects.create(name='Bench Hospital', code='BENCH');"
        "GatewayConfiguration.objects.create(hospital=hospital, name='Bench Razorpay', provider='razorpay',"
        f" key_id='rzp_test_Bench00001', merchant_id='{ACCOUNT}', capabilities=['payouts'],"
        f" secrets={{'key_secret': 'bench_key_secret_01', 'webhook_secret': '{SECRET}'}})"
    )
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)


def request(port: int, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


class Events:
    """Distinct, signed payout events, made before the clock starts (`count` of them), so the
    load generator, which shares the two CPUs, spends nothing on making them while measured."""

    def __init__(self, prefix: str, count: int):
        self.made = iter([self._make(f"{prefix}{number:09d}") for number in range(1, count + 1)])
        self.lock = threading.Lock()

    def next(self) -> tuple[str, bytes, dict[str, str]]:
        with self.lock:
            return next(self.made)

    @staticmethod
    def _make(event_id: str) -> tuple[str, bytes, dict[str, str]]:
        payout = {"id": f"pout_{event_id}", "entity": "payout", "amount": 150000, "currency": "INR",
                  "status": "processed", "reference_id": f"REF-{event_id}", "fees": 590, "tax": 90}  # fmt: skip
        body = json.dumps(
            {
                "entity": "event",
                "account_id": ACCOUNT,
                "event": "payout.processed",
                "contains": ["payout"],
                "payload": {"payout": {"entity": payout}},
                "created_at": 1755693679,
            },  # fmt: skip
            separators=(",", ":"),
        ).encode()
        signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        return event_id, body, {"X-Razorpay-Signature": signature, "X-Razorpay-Event-Id": event_id}


# Enough events for a closed-loop round: far more than the receiver answers in DURATION.
CLOSED_LOOP_EVENTS = int(os.environ.get("BENCH_EVENTS", str(int(5000 * DURATION))))


def closed_loop(port: int, path: str, events: Events | None) -> dict:
    latencies: list[float] = []
    failures = [0]
    deadline = time.monotonic() + DURATION

    def client() -> None:
        while time.monotonic() < deadline:
            body, headers = events.next()[1:] if events else (b"", {})
            status, seconds = request(port, path, body, headers)
            latencies.append(seconds)
            failures[0] += status not in (200, 204)

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(latencies, time.monotonic() - started, failures[0])


def open_loop(port: int, events: Events, sent_at: dict[str, float]) -> dict:
    """RATE requests/s for DURATION s; latency from each request's due time."""
    total = int(RATE * DURATION)
    start_at = time.monotonic() + 0.2
    latencies: list[float] = []
    failures = [0]
    next_index = [0]
    lock = threading.Lock()

    def sender() -> None:
        while True:
            with lock:
                index = next_index[0]
                next_index[0] += 1
            if index >= total:
                return
            due = start_at + index / RATE
            time.sleep(max(0.0, due - time.monotonic()))
            event_id, body, headers = events.next()
            sent_at[event_id] = time.time() - max(0.0, time.monotonic() - due)
            status, _ = request(port, PATH, body, headers)
            latencies.append(time.monotonic() - due)
            failures[0] += status != 200

    threads = [threading.Thread(target=sender) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(latencies, DURATION, failures[0])


def summary(latencies: list[float], seconds: float, failures: int) -> dict:
    return {"requests": len(latencies), "rps": len(latencies) / seconds,
            "p50_ms": percentile(latencies, 0.50) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000,
            "failures": failures}  # fmt: skip


def end_to_end(env: dict[str, str], sent_at: dict[str, float]) -> dict:
    """Seconds from sending each event to its row being processed (timestamps from the row)."""
    script = (
        "import django, json, sys; django.setup();"
        "from skinspire.gateways.webhooks.models import WebhookEvent;"
        "ids = json.load(sys.stdin);"
        "rows = WebhookEvent.objects.filter(event_id__in=ids).exclude(processed_at=None);"
        "print(json.dumps({r.event_id: r.processed_at.timestamp() for r in rows}))"
    )
    deadline = time.monotonic() + 120
    while True:
        result = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True,
                                input=json.dumps(list(sent_at)), capture_output=True, text=True)  # fmt: skip
        done = json.loads(result.stdout)
        if len(done) == len(sent_at) or time.monotonic() > deadline:
            break
        time.sleep(1)
    delays = [done[event_id] - sent for event_id, sent in sent_at.items() if event_id in done]
    stats = summary(delays, DURATION, len(sent_at) - len(done))
    return {
        "events": len(sent_at),
        "processed": len(done),
        "p50_ms": stats["p50_ms"],
        "p99_ms": stats["p99_ms"],
    }


def line(name: str, figures: dict) -> str:
    return (f"{name:<28} {figures['requests']:>7} req  {figures['rps']:>8.1f} req/s  "
            f"p50 {figures['p50_ms']:>7.1f} ms  p99 {figures['p99_ms']:>7.1f} ms  failures {figures['failures']}")  # fmt: skip


class CpuMeter:
    """CPU seconds used during a phase by the processes that serve it: one started process
    group (gunicorn, or the Celery worker) and every PostgreSQL backend of the bench
    database (a backend that ends during the phase is not counted)."""

    def __init__(self, url: str, process: subprocess.Popen):
        self.url, self.process = url, process

    def __enter__(self) -> "CpuMeter":
        self.group, self.backends = group_cpu_seconds(self.process), self._backends()
        self.group_used = self.database_used = 0.0
        return self

    def __exit__(self, *exc_info) -> None:
        self.group_used = group_cpu_seconds(self.process) - self.group
        self.database_used = sum(
            seconds - self.backends.get(pid, 0.0) for pid, seconds in self._backends().items()
        )

    def _backends(self) -> dict[int, float]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        return pids_cpu_seconds([row[0] for row in rows])

    def per(self, count: int) -> str:
        return (
            f"{self.group_used / count * 1000:.2f} ms + PostgreSQL {self.database_used / count * 1000:.2f} ms"
        )


def main() -> None:
    url = bench_database_url()
    queue = f"bench-webhooks-{os.getpid()}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "webhook_server_settings",
           "BENCH_CELERY_QUEUE": queue, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "bench"), str(ROOT), os.environ.get("PYTHONPATH")]))}  # fmt: skip
    recreate_database(url)
    processes: list[subprocess.Popen] = []
    try:
        prepare(env)
        port = int(os.environ.get("BENCH_PORT") or 0) or free_port()
        server = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "gthread",
                  "--threads", str(THREADS), "--bind", f"127.0.0.1:{port}",
                  "--log-level", "warning", "skinspire.wsgi:application"]  # fmt: skip
        processes.append(start(server, env))
        wait_until_serving(port, "/bench/bare", 204, seconds=60)
        print(f"gunicorn 2 workers x {THREADS} threads, PostgreSQL, Redis; {CONCURRENCY} clients x "
              f"{DURATION:.0f} s; {os.cpu_count()} CPUs shared with the load generator; "
              f"load average before: {os.getloadavg()[0]:.1f}; synchronous_commit {SYNCHRONOUS_COMMIT}")  # fmt: skip
        closed_loop(port, "/bench/bare", None)  # warm-up
        closed_loop(port, PATH, Events("warm", CLOSED_LOOP_EVENTS))
        rounds: dict[str, list] = {"bare": [], "receiver": []}
        for number in range(2):
            with CpuMeter(url, processes[0]) as meter:
                figures = closed_loop(port, "/bench/bare", None)
            rounds["bare"].append((figures, meter))
            with CpuMeter(url, processes[0]) as meter:
                figures = closed_loop(port, PATH, Events(f"tput{number}", CLOSED_LOOP_EVENTS))
            rounds["receiver"].append((figures, meter))
        for name, results in rounds.items():
            for number, (figures, meter) in enumerate(results):
                print(
                    line(f"{name} 204 view" if name == "bare" else "receiver", figures)
                    + f"  (round {number + 1}; CPU per request: gunicorn {meter.per(figures['requests'])})"
                )
        bare = sum(item["rps"] for item, _ in rounds["bare"]) / 2
        receiver = sum(item["rps"] for item, _ in rounds["receiver"]) / 2
        print(f"ratio receiver / bare (mean of rounds): {receiver / bare:.2f}x  (target >= 0.5x)")
        worker = [sys.executable, "-m", "celery", "-A", "skinspire", "worker", "-Q", queue, "--concurrency", "2",
                  "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
        subprocess.run([sys.executable, "-m", "celery", "-A", "skinspire", "purge", "-f", "-Q", queue],
                       env=env, cwd=ROOT, check=True, capture_output=True)  # fmt: skip
        mark_backlog_handed_over(env)
        processes.append(start(worker, env))
        time.sleep(5)  # the worker connects
        sent_at: dict[str, float] = {}
        with CpuMeter(url, processes[1]) as meter:
            acknowledged = open_loop(port, Events("e2e", int(RATE * DURATION)), sent_at)
            print(line(f"receiver at {RATE}/s (ack)", acknowledged) + "  (target p99 <= 250 ms)")
            e2e = end_to_end(env, sent_at)
        print(f"end to end at {RATE}/s: {e2e['processed']}/{e2e['events']} processed, "
              f"p50 {e2e['p50_ms']:.1f} ms, p99 {e2e['p99_ms']:.1f} ms  (target p99 < 1000 ms)")  # fmt: skip
        count = max(1, e2e["processed"])
        print(f"CPU per event in that phase: Celery worker (relay and processing) "
              f"{meter.group_used / count * 1000:.2f} ms; PostgreSQL, every backend (receiver's and "
              f"worker's) {meter.database_used / count * 1000:.2f} ms")  # fmt: skip
    finally:
        for process in reversed(processes):
            stop(process, timeout=20)
        drop_database(url)


def mark_backlog_handed_over(env: dict[str, str]) -> None:
    """The throughput rounds' rows were never meant to be processed: out of the relay's queue."""
    script = (
        "import django; django.setup();"
        "from skinspire.gateways.webhooks.models import WebhookEvent;"
        "WebhookEvent.objects.filter(relay_pending=True).update(relay_pending=False)"
    )
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
