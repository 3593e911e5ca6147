"""Payout initiations through the API under load: `make bench-payouts`. Prints figures; not a test.

A real WSGI server (gunicorn, gthread) serves the project and the sandbox on PostgreSQL;
a Celery worker on Redis sends each payout to the sandbox's RazorpayX, at most
PAYOUT_DISPATCH_RATE_PER_SECOND (8) create calls a second for the configuration.
BENCH_PAYOUTS (default 1000) initiations are posted by BENCH_CONCURRENCY (default 50)
clients at once, each posting again once answered, or arriving at BENCH_RATE a second. They
are spread over enough payments staff (one per 10) that the real throttle of 10 payouts a
minute per user stays in force and refuses none. Reported: API p50/p95/p99 (all of it our own overhead: the gateway is
called after commit, by the worker), the sandbox's own create latency beside our dispatch,
gateway 429s (target 0), duplicates (target 0: one sandbox payout per payment) and the
time until every payment is final: the sandbox's signed webhooks reach the webhook inbox on
the same server, and the worker applies them to the payments.

Needs DATABASE_URL (PostgreSQL) and REDIS_URL; gunicorn importable (requirements/prod.txt).
Uses a throwaway database `bench_payouts_<name>`, dropped afterwards; only processes it
started are stopped.
"""

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
from processes import free_port, start, stop, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
PAYOUTS = int(os.environ.get("BENCH_PAYOUTS", "1000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "50"))
FINAL_TIMEOUT = float(os.environ.get("BENCH_FINAL_TIMEOUT", "900"))
# 0: every client posts again as soon as it is answered (closed loop: the latency is then
# CONCURRENCY / throughput). N: initiations arrive at N a second whatever the answers (open
# loop), by up to CONCURRENCY clients at once; latency counts from when each was due.
RATE = float(os.environ.get("BENCH_RATE", "0"))
THROTTLE_PER_MINUTE = 10  # REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["payouts"], kept in force


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        sys.exit("bench-payouts needs DATABASE_URL (PostgreSQL) and REDIS_URL.")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/bench_payouts_{parts.path.lstrip('/') or 'postgres'}"))


def database(url: str, action: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if action == "create":
            connection.execute(f'CREATE DATABASE "{name}"')


def child(env: dict[str, str], script: str, stdin: str = "") -> str:
    prelude = "import django, json, sys; django.setup();"
    result = subprocess.run(
        [sys.executable, "-c", prelude + script],
        env=env,
        cwd=ROOT,
        check=True,
        input=stdin,
        capture_output=True,
        text=True,
    )
    return result.stdout


PREPARE = """
from io import StringIO
from decimal import Decimal
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("seed_demo", stdout=StringIO())
from skinspire.core.authentication.tokens import api_token_create
from skinspire.core.models import User
from skinspire.payouts.models import SupplierAccount
from skinspire.payouts.services.policy import payout_policy_update
from skinspire.sandbox.models import SandboxMerchant
from django.test.utils import override_settings
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.services import staff_user_create
setup = json.loads(sys.stdin.read())
demo = User.objects.get(username="payments")
payout_policy_update(hospital=demo.hospital, actor=None, approval_threshold=Decimal("100000000"))
SandboxMerchant.objects.update(balance_paise=10**15)  # webhooks go to the inbox, as the demo's do
account = SupplierAccount.objects.filter(kind="bank", approval_status="approved").order_by("id").first()
tokens = []
# Payments staff of the demo hospital, enough that none passes the real throttle of 10
# payouts a minute. They sign in by token only, so a fast hasher for their unused passwords.
with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    for number in range(setup["users"]):
        user = staff_user_create(username=f"bench-payer-{number:03d}", password=f"unused-{number}",
                                 hospital=demo.hospital, branches=demo.branches.all(), role=ROLE_PAYMENTS_STAFF)
        tokens.append(api_token_create(user=user)[1])
print(json.dumps({"tokens": tokens, "supplier": account.supplier_id, "account": account.pk}))
"""

PROGRESS = """
from django.db.models import Count
from skinspire.payouts.models import SupplierPayment
print(json.dumps(dict(SupplierPayment.objects.filter(created_by__username__startswith="bench-payer-")
                      .values_list("status").annotate(n=Count("id")))))
"""

FIGURES = """
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Min
from skinspire.core.models import StatusTransition
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.payouts.models import SupplierPayment
from skinspire.sandbox.models import SandboxObject
creates = GatewayTransactionLog.objects.filter(operation="create_payout")
# The bench's own payments: the demo data it starts from has payments of its own.
ours = SupplierPayment.objects.filter(created_by__username__startswith="bench-payer-")
references = [body.get("reference_id") for body in SandboxObject.objects.filter(entity="payout").values_list("body", flat=True)]
span = ours.aggregate(first=Min("created_at"), last=Max("completed_at"))
moves = {(int(object_id), state): at for object_id, state, at in StatusTransition.objects.filter(
    content_type=ContentType.objects.get_for_model(SupplierPayment), outcome="applied",
    to_state__in=["submitted", "processing"]).values_list("object_id", "to_state", "occurred_at")}
calls = {key: (at, latency) for key, at, latency in creates.filter(outcome="success").values_list(
    "idempotency_key", "created_at", "latency_ms")}
waited, after = [], []
for pk, key in ours.values_list("pk", "gateway_idempotency_key"):
    submitted, processing, call = moves.get((pk, "submitted")), moves.get((pk, "processing")), calls.get(str(key))
    if submitted and processing and call:
        answered, latency = call
        waited.append((answered - submitted).total_seconds() * 1000 - latency)
        after.append((processing - answered).total_seconds() * 1000)
print(json.dumps({
    "before_call_ms": waited,
    "after_answer_ms": after,
    "sandbox_ms": sorted(creates.exclude(latency_ms=None).values_list("latency_ms", flat=True)),
    "gateway_429": creates.filter(http_status=429).count(),
    "create_calls": creates.count(),
    "sandbox_payouts": len(references),
    "duplicates": len(references) - len(set(references)),
    "statuses": dict(ours.values_list("status").annotate(n=Count("id"))),
    "first_created": span["first"].timestamp() if span["first"] else None,
    "last_completed": span["last"].timestamp() if span["last"] else None,
}))
"""


def post(port: int, path: str, body: dict, token: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
        connection.request("POST", path, body=json.dumps(body), headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def load(port: int, setup: dict) -> tuple[list[float], dict[int, int], float]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    next_index, lock = [0], threading.Lock()

    def client() -> None:
        while True:
            with lock:
                index = next_index[0]
                next_index[0] += 1
            if index >= PAYOUTS:
                return
            body = {"supplier_id": setup["supplier"], "account_id": setup["account"], "amount": "1000.00",
                    "mode": "imps", "idempotency_key": f"bench-{index:06d}"}  # fmt: skip
            token = setup["tokens"][index % len(setup["tokens"])]
            due = started + index / RATE if RATE else time.monotonic()
            time.sleep(max(0.0, due - time.monotonic()))
            status, _ = post(port, "/api/gateway/initiate-payout", body, token)
            with lock:
                # From when the request was due, so a late start (all clients busy) counts.
                latencies.append(time.monotonic() - due)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    started = time.monotonic() + 0.1
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.monotonic() - started


def main() -> None:
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        sys.exit("bench-payouts needs gunicorn: pip install -r requirements/prod.txt into the venv.")
    url = bench_database_url()
    port = int(os.environ.get("BENCH_PORT", "0")) or free_port()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "payout_server_settings",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "SANDBOX_BASE_URL": f"http://127.0.0.1:{port}/sandbox", "SANDBOX_STEP_SECONDS": "1",
           "BENCH_CELERY_QUEUE": f"bench-payouts-{port}"}  # fmt: skip
    database(url, "create")
    processes = []
    try:
        users = -(-PAYOUTS // THROTTLE_PER_MINUTE)
        setup = json.loads(child(env, PREPARE, json.dumps({"users": users})).strip().splitlines()[-1])
        processes.append(start([sys.executable, "-m", "gunicorn", "skinspire.wsgi:application", "--bind",
                                f"127.0.0.1:{port}", "--workers", "2", "--threads", "8", "--worker-class", "gthread",
                                "--log-level", "warning"], env))  # fmt: skip
        processes.append(start([sys.executable, "-m", "celery", "-A", "skinspire.celery_app", "worker", "-Q",
                                env["BENCH_CELERY_QUEUE"], "-c", "4", "--loglevel", "WARNING"], env))  # fmt: skip
        wait_until_serving(port, "/api/", 200, seconds=90)
        latencies, statuses, seconds = load(port, setup)
        arrival = f"arriving at {RATE:g}/s" if RATE else "each client posting again once answered"
        print(f"initiations: {PAYOUTS} by {CONCURRENCY} clients ({arrival}) in {seconds:.1f} s ({PAYOUTS / seconds:.0f}/s); "
              f"HTTP statuses {statuses}; as {users} payments staff, under the real throttle "
              f"({THROTTLE_PER_MINUTE} payouts a minute per user)")  # fmt: skip
        print("API latency (all ours; the gateway is called after commit by the worker): "
              + ", ".join(f"p{int(share * 100)} {percentile(latencies, share) * 1000:.0f} ms" for share in (0.5, 0.95, 0.99)))  # fmt: skip
        deadline = time.monotonic() + FINAL_TIMEOUT
        while time.monotonic() < deadline:
            counts = json.loads(child(env, PROGRESS).strip().splitlines()[-1])
            if sum(counts.get(status, 0) for status in ("completed", "failed")) >= PAYOUTS:
                break
            time.sleep(2)
        figures = json.loads(child(env, FIGURES).strip().splitlines()[-1])
        sandbox = [value / 1000 for value in figures["sandbox_ms"]]
        print("sandbox create latency: " + ", ".join(f"p{int(share * 100)} {percentile(sandbox, share) * 1000:.0f} ms" for share in (0.5, 0.95, 0.99)))  # fmt: skip
        print("our dispatch time beside the sandbox's: " + ", ".join(
            f"p{int(share * 100)} {percentile(figures['after_answer_ms'], share):.0f} ms" for share in (0.5, 0.95, 0.99))
            + " from its answer to the payout's `processing` move (its history row and commit follow); "
            + ", ".join(f"p{int(share * 100)} {percentile(figures['before_call_ms'], share):.0f} ms" for share in (0.5, 0.95, 0.99))
            + " from `submitted` to the call (the task queue and the 8/s rate limit's wait)")  # fmt: skip
        print(f"gateway create calls {figures['create_calls']}, 429s {figures['gateway_429']}, sandbox payouts "
              f"{figures['sandbox_payouts']}, duplicates {figures['duplicates']}; final statuses {figures['statuses']}")  # fmt: skip
        final = sum(figures["statuses"].get(status, 0) for status in ("completed", "failed"))
        if final < PAYOUTS:
            print(f"not all final after {FINAL_TIMEOUT:.0f} s (BENCH_FINAL_TIMEOUT): {final} of {PAYOUTS}")
        elif figures["first_created"] and figures["last_completed"]:
            print(f"first initiation to last completion: {figures['last_completed'] - figures['first_created']:.1f} s "
                  f"(dispatch capped at 8/s: {PAYOUTS / 8:.0f} s at least)")  # fmt: skip
    finally:
        for process in processes:
            stop(process)
        database(url, "drop")


if __name__ == "__main__":
    main()
