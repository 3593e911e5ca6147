"""CPU per delivery of the webhook receive path, in process, beside the bare 204 view.

`python bench/bench_webhook_receive.py [N]` (needs DATABASE_URL on PostgreSQL and REDIS_URL).
Both views are called N times, alternating rounds, through the whole WSGI handler and
middleware stack of the webhook benchmark's server settings (DEBUG off, persistent
connection, Celery not eager), with no HTTP server and no client in the way. It prints
the wall time and the CPU time of this process per request, plus the PostgreSQL backend's
CPU (bench/cpu_clock.py), and the ratio of the two views' CPU. CPU time moves far less
than wall time on a shared machine. `--profile` prints a cProfile of the receiver instead.
`--process` then measures the worker's side the same way: the stored rows through
`webhook_events_process` in relay batches (GATEWAY_WEBHOOK_RELAY_BATCH), CPU per event
(with `--profile`, its profile).
Works on a throwaway database `bench_webhooks_<name>`, dropped afterwards.
"""

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

import bench_webhooks  # noqa: E402

# Alternating rounds of each view; the best round counts (BENCH_ROUNDS: more rounds, a
# steadier best on a shared machine).
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def environ(path: str, body: bytes, headers: dict[str, str]) -> dict:
    env = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        env[f"HTTP_{name.upper().replace('-', '_')}"] = value
    return env


def main() -> None:
    count = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), "1000"))
    profile = "--profile" in sys.argv
    process = "--process" in sys.argv
    url = bench_webhooks.bench_database_url()
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "webhook_server_settings",
            "BENCH_CELERY_QUEUE": "bench-none",
        }
    )
    bench_webhooks.recreate_database(url)
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}"}
    try:
        bench_webhooks.prepare(env)
        run(count, profile, process)
    finally:
        from django.db import connections

        connections.close_all()
        bench_webhooks.drop_database(url)


def run(count: int, profile: bool, process: bool) -> None:
    import django

    django.setup()
    import cpu_clock
    from django.core.handlers.wsgi import WSGIHandler

    from skinspire.gateways.webhooks.models import WebhookEvent

    # The relay task would go to a broker no worker reads: count the nudges instead.
    nudges = [0]
    from skinspire.gateways.webhooks.tasks import webhook_relay as relay_task

    relay_task.delay = lambda *a, **k: nudges.__setitem__(0, nudges[0] + 1)
    handler = WSGIHandler()

    def call(path: str, body: bytes, headers: dict[str, str], expected: str) -> None:
        status: list[str] = []

        def start_response(
            status_line: str, response_headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            status.append(status_line)

        response = handler(environ(path, body, headers), start_response)
        for _ in response:
            pass
        response.close()
        if not status[0].startswith(expected):
            raise SystemExit(f"{path}: {status[0]}")

    def bare_round(n: int) -> cpu_clock.Reading:
        before = cpu_clock.read()
        for _ in range(n):
            call("/bench/bare", b"", {}, "204")
        return cpu_clock.read() - before

    def receiver_round(n: int, events: bench_webhooks.Events) -> cpu_clock.Reading:
        prepared = [events.next()[1:] for _ in range(n)]
        before = cpu_clock.read()
        for body, headers in prepared:
            call(bench_webhooks.PATH, body, headers, "200")
        return cpu_clock.read() - before

    bare_round(50)
    receiver_round(50, bench_webhooks.Events("warm", 50))
    if process:
        receiver_round(count, bench_webhooks.Events("proc", count))
        processing(profile)
        return
    if profile:
        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
        profiler.enable()
        receiver_round(count, bench_webhooks.Events("prof", count))
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
        print(out.getvalue())
        return
    totals: dict[str, list[Any]] = {"bare": [], "receiver": []}
    for number in range(ROUNDS):
        totals["bare"].append(bare_round(count))
        totals["receiver"].append(receiver_round(count, bench_webhooks.Events(f"r{number}_", count)))
    print(
        f"in-process WSGI handler, webhook_server_settings, {count} requests x {ROUNDS} rounds each; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    cpu = {}
    for name, readings in totals.items():
        wall = sum(r.wall for r in readings) / (count * ROUNDS) * 1000
        client = min(r.client_cpu for r in readings) / count * 1000
        server = [r.server_cpu for r in readings if r.server_cpu is not None]
        server_ms = min(server) / count * 1000 if server else float("nan")
        cpu[name] = client
        print(
            f"{name:<9} wall {wall:6.3f} ms/req  Django CPU {client:6.3f} ms/req (best round)  "
            f"PostgreSQL backend CPU {server_ms:6.3f} ms/req"
        )
    print(
        f"Django CPU ratio bare / receiver: {cpu['bare'] / cpu['receiver']:.2f}x  (throughput bound if CPU-bound)"
    )
    stored = WebhookEvent.objects.filter(event_id__startswith="r").count()
    print(f"rows stored: {stored} (expected {count * ROUNDS}); relay nudges: {nudges[0]}")


def processing(profile: bool) -> None:
    """The worker's side: rows the receiver stored, processed in relay-sized batches."""
    import cpu_clock
    from django.conf import settings

    from skinspire.gateways.webhooks.models import WebhookEvent
    from skinspire.gateways.webhooks.tasks import webhook_events_process

    ids = list(WebhookEvent.objects.filter(relay_pending=True).order_by("id").values_list("id", flat=True))
    WebhookEvent.objects.filter(id__in=ids).update(relay_pending=False)
    size = settings.GATEWAY_WEBHOOK_RELAY_BATCH
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
    webhook_events_process(batches.pop(0))  # warm-up
    profiler = cProfile.Profile(time.process_time) if profile else None
    before = cpu_clock.read()
    if profiler:
        profiler.enable()
    for batch in batches:
        webhook_events_process(batch)
    if profiler:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(50)
        print(out.getvalue())
    used = cpu_clock.read() - before
    events = sum(len(batch) for batch in batches)
    server = used.server_cpu / events * 1000 if used.server_cpu is not None else float("nan")
    print(
        f"processing {events} events in batches of {size}: wall {used.wall / events * 1000:.3f} ms/event, "
        f"worker CPU {used.client_cpu / events * 1000:.3f} ms/event, PostgreSQL backend CPU {server:.3f} ms/event"
    )
    done = WebhookEvent.objects.filter(id__in=ids).exclude(processed_at=None).count()
    print(f"rows processed: {done} of {len(ids)}")


if __name__ == "__main__":
    main()
