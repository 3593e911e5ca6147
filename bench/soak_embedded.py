"""A busy hospital day against a running `make run` (SQLite, filesystem broker): `make bench-soak`.

Prints figures; not a test. For SOAK_SECONDS (180) SOAK_CONCURRENCY (8) workers, through the
real HTTP API and pages, at once: payments staff create bills and patient payment links
(`POST /api/gateway/create-payment-link`), patients pay them on the sandbox's hosted page (one
in ten with the failing VPA) and come back to our return page, the sandbox's webhooks reach
/api/gateway/webhook/razorpay; staff record supplier payouts above the approval threshold
(gateway payouts, at most the API's 10 a minute, and payout links) which the approver
approves; the accountant settles the sandbox merchant and starts a reconciliation run in
admin; everyone opens their workspace pages; beat's periodic tasks run throughout.

Then it waits for the work to drain (SOAK_DRAIN_SECONDS, 600 at most) and checks, reading the
SQLite file read-only and the `make run` log (SOAK_LOG, e.g. `make run > var/run.log 2>&1`):
no answer >= 500, no traceback or "database is locked" in the log, every link paid at the
sandbox paid here, no webhook left unprocessed or failed, every approved payout at the
gateway (in flight or final), no task failed or lost. Exits 1 when a check fails.

    env -u DATABASE_URL -u REDIS_URL make run > var/run.log 2>&1 &
    SOAK_LOG=var/run.log make bench-soak
"""

import os
import random
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import requests
from figures import percentile
from soak_checks import Checks, LogWatch, drain

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("SOAK_URL", "http://127.0.0.1:8000").rstrip("/")
SECONDS = float(os.environ.get("SOAK_SECONDS", "180"))
CONCURRENCY = int(os.environ.get("SOAK_CONCURRENCY", "8"))
DATABASE = Path(os.environ.get("SOAK_DATABASE", ROOT / "var" / "skinspire.sqlite3"))
BROKER_QUEUE = Path(os.environ.get("SOAK_BROKER_QUEUE", ROOT / "var" / "celery-broker" / "queue"))
LOG = os.environ.get("SOAK_LOG", "")
DRAIN_SECONDS = float(os.environ.get("SOAK_DRAIN_SECONDS", "600"))
PASSWORD = "skinspire-demo"  # README's demo users
RAZORPAY_KEY = ("rzp_test_SkinspDemo0001", "sandbox_rzp_secret_5f2a9c1e7b")  # README's sandbox keys
PAYOUT_AMOUNT = "60000.00"  # above the demo hospital's approval threshold (₹50,000)
PAYOUTS_PER_MINUTE = 9  # the API refuses an 11th gateway payout a minute per user
RECONCILIATION_EVERY_SECONDS = 30
TIMEOUT = 120
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]*)</option>')


@dataclass
class Recorder:
    """Every HTTP answer: (kind, status or 0 for no answer, seconds)."""

    answers: list[tuple[str, int, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.answers.append((kind, status, seconds))

    def note(self, text: str) -> None:
        with self.lock:
            if len(self.notes) < 40:
                self.notes.append(text)


class Client:
    """One person's browser or API client (a session of its own: requests.Session is not
    safe across threads, so each worker builds its own)."""

    def __init__(self, recorder: Recorder, *, token: str = "", cookies=None):
        self.recorder = recorder
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Token {token}"
        if cookies:
            self.session.cookies.update(cookies)

    def call(self, kind: str, method: str, url: str, **options) -> requests.Response | None:
        started = time.monotonic()
        try:
            response = self.session.request(
                method, url if "://" in url else URL + url, timeout=TIMEOUT, **options
            )
        except requests.RequestException as error:
            self.recorder.add(kind, 0, time.monotonic() - started)
            self.recorder.note(f"{kind}: no answer: {error}")
            return None
        self.recorder.add(kind, response.status_code, time.monotonic() - started)
        if response.status_code >= 400:
            self.recorder.note(f"{kind}: {response.status_code} {response.text[:300]!r}")
        return response


def csrf_token(html: str) -> str:
    """The CSRF token of the page's form, as a browser posts it back."""
    found = CSRF_INPUT.search(html)
    if found is None:
        raise RuntimeError("the page has no form with a CSRF token")
    return found.group(1)


def api_token(username: str) -> str:
    response = requests.post(
        f"{URL}/api/auth/token/", data={"username": username, "password": PASSWORD}, timeout=TIMEOUT
    )
    response.raise_for_status()
    return response.json()["token"]


def page_login(username: str) -> requests.cookies.RequestsCookieJar:
    """Log in on the site's login page (admin's, LOGIN_URL) as a person does."""
    session = requests.Session()
    page = session.get(f"{URL}/admin/login/", timeout=TIMEOUT)
    token = csrf_token(page.text)
    answer = session.post(
        f"{URL}/admin/login/?next=/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": "/"},
        timeout=TIMEOUT,
    )
    if answer.status_code >= 400 or "sessionid" not in session.cookies:
        sys.exit(f"could not log in as {username}: {answer.status_code}")
    return session.cookies


@dataclass
class Shared:
    """What every worker needs: credentials, the demo's ids, and the pacing of the scarce things."""

    recorder: Recorder
    tokens: dict[str, str]
    cookies: dict[str, requests.cookies.RequestsCookieJar]
    branch_ids: list[int]
    payees: list[tuple[int, int, str]]  # (supplier id, payable account id, its payout mode)
    lock: threading.Lock = field(default_factory=threading.Lock)
    payout_times: list[float] = field(default_factory=list)
    reconciliation_next: float = 0.0
    counter: int = 0
    payments_approved: list[int] = field(default_factory=list)

    def next_number(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def may_pay_out(self) -> bool:
        """A gateway payout now keeps the user within the API's rate (else a payout link)."""
        with self.lock:
            now = time.monotonic()
            self.payout_times = [moment for moment in self.payout_times if now - moment < 60]
            if len(self.payout_times) >= PAYOUTS_PER_MINUTE:
                return False
            self.payout_times.append(now)
            return True

    def may_reconcile(self) -> bool:
        with self.lock:
            if time.monotonic() < self.reconciliation_next:
                return False
            self.reconciliation_next = time.monotonic() + RECONCILIATION_EVERY_SECONDS
            return True


class Worker:
    def __init__(self, shared: Shared, index: int):
        self.shared, self.index = shared, index
        recorder = shared.recorder
        self.staff = Client(recorder, token=shared.tokens["payments"])
        self.approver = Client(recorder, token=shared.tokens["approver"])
        self.pages = {name: Client(recorder, cookies=jar) for name, jar in shared.cookies.items()}
        self.random = random.Random(index)
        self.run_id = f"{int(time.time())}-{index}"

    def run(self, until: float) -> None:
        while time.monotonic() < until:
            roll = self.random.random()
            if roll < 0.1 and self.shared.may_reconcile():
                self.reconcile()
            elif roll < 0.55:
                self.patient_pays_a_link()
            elif roll < 0.8:
                self.supplier_payout()
            else:
                self.pages_browse()

    def patient_pays_a_link(self) -> None:
        number = self.shared.next_number()
        amount = f"{self.random.randint(300, 9000)}.{self.random.randint(0, 99):02d}"
        bill = self.staff.call("bill create", "POST", "/api/bills", json={
            "number": f"SOAK-{self.run_id}-{number}",
            "branch_id": self.random.choice(self.shared.branch_ids),
            "patient": {"patient_number": f"SOAK-P{self.index}-{number % 20}", "name": "Soak Patient",
                        "phone": "+919876543210", "email": "soak.patient@patients.example"},
            "category": "consultation",
            "amount": amount,
        })  # fmt: skip
        if bill is None or bill.status_code != 201:
            return
        link = self.staff.call("link create", "POST", "/api/gateway/create-payment-link",
                               json={"bill_id": bill.json()["id"], "expire_in_hours": 48, "notify": ["sms"]})  # fmt: skip
        if link is None or link.status_code != 201:
            return
        phone = Client(self.shared.recorder)  # the patient's phone: no login, cookies of its own
        page = phone.call("link page", "GET", link.json()["gateway_url"])
        if page is None or page.status_code != 200:
            return
        vpa = "failure@razorpay" if self.random.random() < 0.1 else "success@razorpay"
        paid = phone.call("link pay", "POST", link.json()["gateway_url"], allow_redirects=False, data={
            "csrfmiddlewaretoken": csrf_token(page.text),
            "amount": amount, "method": "upi", "vpa": vpa, "outcome": "success",
        })  # fmt: skip
        if paid is not None and paid.status_code == 302:
            phone.call("link return", "GET", paid.headers["Location"])

    def supplier_payout(self) -> None:
        supplier_id, account_id, mode = self.random.choice(self.shared.payees)
        key = f"soak-{self.run_id}-{self.shared.next_number()}"
        if self.shared.may_pay_out():
            created = self.staff.call("payout initiate", "POST", "/api/gateway/initiate-payout", json={
                "supplier_id": supplier_id, "account_id": account_id, "amount": PAYOUT_AMOUNT,
                "mode": mode, "idempotency_key": key,
            })  # fmt: skip
        else:
            created = self.staff.call("payout link create", "POST", "/api/gateway/create-payment-link", json={
                "supplier_id": supplier_id, "amount": PAYOUT_AMOUNT, "expire_in_hours": 48,
                "notify": ["email"], "idempotency_key": key,
            })  # fmt: skip
        if created is None or created.status_code != 201:
            return
        payment_id = created.json()["id"]
        self.approver.call("payout list (approver)", "GET", "/api/payouts/payments/?status=pending_approval")
        approved = self.approver.call("payout approve", "POST", f"/api/payouts/payments/{payment_id}/approve")
        if approved is not None and approved.status_code == 200:
            with self.shared.lock:
                self.shared.payments_approved.append(payment_id)

    def reconcile(self) -> None:
        """Settle the sandbox merchant now (the sandbox's control), then start today's run in admin."""
        self.pages["accountant"].call(
            "sandbox settle-now", "POST", "/sandbox/control/settle-now", auth=RAZORPAY_KEY
        )
        start = "/admin/reconciliation/reconciliationrun/start/"
        form = self.pages["accountant"].call("reconciliation form", "GET", start)
        if form is None or form.status_code != 200:
            return
        options = OPTION.findall(form.text)
        # The Razorpay configuration: its sandbox merchant is the one settled above.
        configuration = next(
            (value for value, label in options if "razorpay" in label.lower()), options[0][0]
        )
        self.pages["accountant"].call("reconciliation start", "POST", start, data={
            "csrfmiddlewaretoken": csrf_token(form.text),
            "configuration": configuration, "run_date": date.today().isoformat(),
        })  # fmt: skip

    def pages_browse(self) -> None:
        person, path = self.random.choice([
            ("payments", "/workspace/payouts/"), ("payments", "/workspace/bills/"),
            ("payments", "/workspace/patient-payments/"), ("approver", "/workspace/payouts/approvals/"),
            ("accountant", "/workspace/reconciliation/"), ("payments", "/"),
        ])  # fmt: skip
        self.pages[person].call(f"page {path}", "GET", path)


def demo_ids(token: str) -> tuple[list[int], list[tuple[int, int, str]]]:
    client = requests.Session()
    client.headers["Authorization"] = f"Token {token}"
    bills = client.get(f"{URL}/api/bills?limit=50", timeout=TIMEOUT).json()["results"]
    branch_ids = sorted({bill["branch_id"] for bill in bills})
    payees = []
    for supplier in client.get(f"{URL}/api/suppliers/", timeout=TIMEOUT).json()["results"]:
        accounts = client.get(f"{URL}/api/supplier/{supplier['id']}/bank-accounts", timeout=TIMEOUT).json()
        payees += [(supplier["id"], account["id"], "upi" if account["type"] == "upi" else "imps")
                   for account in accounts if account["payable"]]  # fmt: skip
    return branch_ids, payees


def report(recorder: Recorder, seconds: float) -> None:
    kinds = sorted({kind for kind, _, _ in recorder.answers})
    print(f"\n{len(recorder.answers)} requests in {seconds:.0f} s ({len(recorder.answers) / seconds:.1f}/s), "
          f"{CONCURRENCY} workers")  # fmt: skip
    print(f"{'kind':34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  statuses")
    for kind in kinds:
        rows = [(status, took) for name, status, took in recorder.answers if name == kind]
        times = sorted(took * 1000 for _, took in rows)
        by_status = Counter(status for status, _ in rows)
        print(f"{kind:34} {len(rows):5} {percentile(times, 0.50):8.0f} {percentile(times, 0.95):8.0f} "
              f"{times[-1]:8.0f}  {dict(sorted(by_status.items()))}")  # fmt: skip
    statuses = [status for _, status, _ in recorder.answers]
    print(f"2xx/3xx {sum(100 <= s < 400 for s in statuses)}, 4xx {sum(400 <= s < 500 for s in statuses)}, "
          f"5xx {sum(s >= 500 for s in statuses)}, no answer {statuses.count(0)}")  # fmt: skip
    for note in recorder.notes[:15]:
        print("  ", note)


def main() -> int:
    recorder = Recorder()
    tokens = {name: api_token(name) for name in ("payments", "approver")}
    cookies = {name: page_login(name) for name in ("payments", "approver", "accountant")}
    branch_ids, payees = demo_ids(tokens["payments"])
    shared = Shared(recorder, tokens, cookies, branch_ids, payees)
    watch = LogWatch(LOG)
    checks = Checks(DATABASE, BROKER_QUEUE)
    before = checks.snapshot()
    print(
        f"soak: {SECONDS:.0f} s, {CONCURRENCY} workers against {URL}; database {DATABASE}; log {LOG or 'not given'}"
    )
    started = time.monotonic()
    workers = [Worker(shared, index) for index in range(CONCURRENCY)]
    threads = [threading.Thread(target=worker.run, args=(started + SECONDS,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report(recorder, time.monotonic() - started)
    drained = drain(checks, seconds=DRAIN_SECONDS)
    print(
        f"\nqueue drained in {drained:.1f} s"
        if drained is not None
        else f"\nNOT drained after {DRAIN_SECONDS:.0f} s"
    )
    failures = checks.verify(before=before, approved=shared.payments_approved, watch=watch)
    failures += [f"{sum(s >= 500 for _, s, _ in recorder.answers)} answers >= 500"] if any(
        s >= 500 for _, s, _ in recorder.answers) else []  # fmt: skip
    failures += [] if drained is not None else ["the work did not drain"]
    print("\nRESULT:", "PASS" if not failures else "FAIL")
    for failure in failures:
        print("  -", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
