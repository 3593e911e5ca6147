"""What bench/soak_embedded.py checks once the soak has stopped: the SQLite file read
read-only (what the processes committed), the broker's queue folder and the `make run` log."""

import re
import sqlite3
import time
from collections import Counter
from pathlib import Path

# A supplier payment the approver approved is at the gateway once it is in one of these.
AT_THE_GATEWAY = {"processing", "completed", "failed", "reversed", "cancelled", "expired"}
SANDBOX_PAYOUT_FINAL = ("processed", "reversed", "cancelled", "failed", "rejected")
TASK_LINE = re.compile(
    r"Task ([\w.]+)\[([0-9a-f-]{36})\] (received|succeeded|retry|raised unexpected|failed)"
)
BAD_LINES = (
    "Traceback",
    "database is locked",
    "raised unexpected",
    "Internal Server Error",
    " ERROR ",
    " CRITICAL ",
)


class LogWatch:
    """The `make run` log (honcho's web.1/worker.1/beat.1 lines) from the soak's start on."""

    def __init__(self, path: str):
        self.path = Path(path) if path else None
        self.offset = self.path.stat().st_size if self.path else 0

    def text(self) -> str:
        if self.path is None:
            return ""
        with self.path.open("rb") as log:
            log.seek(self.offset)
            return log.read().decode(errors="replace")


class Checks:
    def __init__(self, database: Path, queue: Path):
        self.database, self.queue = database, queue

    def rows(self, sql: str, parameters=()) -> list[tuple]:
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=30) as connection:
            return connection.execute(sql, parameters).fetchall()

    def snapshot(self) -> dict[str, int]:
        tables = ("gateways_webhookevent", "collections_paymentlink", "payouts_supplierpayment",
                  "reconciliation_reconciliationrun", "sandbox_sandboxwebhookdelivery")  # fmt: skip
        return {table: self.rows(f"SELECT coalesce(max(id), 0) FROM {table}")[0][0] for table in tables}

    def queued(self) -> int:
        return sum(1 for _ in self.queue.glob("*"))

    def unpaid_links(self) -> list[tuple]:
        """Links the sandbox has paid that are not paid here."""
        return self.rows(
            "SELECT sandbox.object_id, ours.status FROM sandbox_sandboxobject AS sandbox"
            " LEFT JOIN collections_paymentlink AS ours ON ours.gateway_link_id = sandbox.object_id"
            " WHERE sandbox.entity = 'payment_link' AND sandbox.status = 'paid'"
            " AND (ours.status IS NULL OR ours.status != 'paid')"
        )

    def pending(self) -> dict[str, int]:
        """Work still under way; drained when all are 0."""
        finals = ",".join(f"'{status}'" for status in SANDBOX_PAYOUT_FINAL)
        return {
            "broker queue files": self.queued(),
            "inbox rows received": self.rows("SELECT count(*) FROM gateways_webhookevent WHERE status = 'received'")[0][0],
            "sandbox deliveries pending": self.rows(
                "SELECT count(*) FROM sandbox_sandboxwebhookdelivery WHERE status = 'pending'")[0][0],
            "payouts approved/submitted": self.rows(
                "SELECT count(*) FROM payouts_supplierpayment WHERE status IN ('approved', 'submitted')")[0][0],
            "sandbox payouts not final": self.rows(
                f"SELECT count(*) FROM sandbox_sandboxobject WHERE entity = 'payout' AND status NOT IN ({finals})")[0][0],
            "gateway payouts processing": self.rows(
                "SELECT count(*) FROM payouts_supplierpayment WHERE method = 'gateway_payout'"
                " AND status = 'processing'")[0][0],
            "links paid at the sandbox only": len(self.unpaid_links()),
        }  # fmt: skip

    def verify(self, *, before: dict[str, int], approved: list[int], watch: LogWatch) -> list[str]:
        failures = []
        failures += self._inbox(before)
        failures += self._links(before)
        failures += self._payouts(approved)
        failures += self._runs(before)
        failures += tasks_and_log(watch.text(), logged=watch.path is not None)
        if self.queued():
            failures.append(f"{self.queued()} messages left in the broker's queue")
        return failures

    def _inbox(self, before) -> list[str]:
        statuses = dict(self.rows("SELECT status, count(*) FROM gateways_webhookevent WHERE id > ? GROUP BY status",
                                  (before["gateways_webhookevent"],)))  # fmt: skip
        deliveries = dict(self.rows(
            "SELECT status, count(*) FROM sandbox_sandboxwebhookdelivery WHERE id > ? GROUP BY status",
            (before["sandbox_sandboxwebhookdelivery"],)))  # fmt: skip
        print(f"webhooks sent by the sandbox: {deliveries}; inbox rows: {statuses}")
        left = {
            status: count
            for status, count in statuses.items()
            if status in ("received", "failed", "rejected")
        }
        failures = [f"inbox rows not processed: {left}"] if left else []
        undelivered = {status: count for status, count in deliveries.items() if status != "delivered"}
        failures += [f"sandbox webhooks not delivered: {undelivered}"] if undelivered else []
        return failures

    def _links(self, before) -> list[str]:
        statuses = dict(self.rows("SELECT status, count(*) FROM collections_paymentlink WHERE id > ? GROUP BY status",
                                  (before["collections_paymentlink"],)))  # fmt: skip
        print(f"patient payment links made: {statuses}")
        unpaid = self.unpaid_links()
        return [f"{len(unpaid)} links paid at the sandbox, not here: {unpaid[:5]}"] if unpaid else []

    def _payouts(self, approved: list[int]) -> list[str]:
        statuses: Counter[str] = Counter()
        for start in range(0, len(approved), 500):
            chunk = approved[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for method, status in self.rows(
                f"SELECT method, status FROM payouts_supplierpayment WHERE id IN ({marks})", chunk
            ):
                statuses[f"{method}:{status}"] += 1
        print(f"approved supplier payments now: {dict(sorted(statuses.items()))}")
        stuck = {key: count for key, count in statuses.items() if key.split(":")[1] not in AT_THE_GATEWAY}
        return [f"approved payouts not at the gateway: {stuck}"] if stuck else []

    def _runs(self, before) -> list[str]:
        runs = self.rows("SELECT status, error_message FROM reconciliation_reconciliationrun WHERE id > ?",
                         (before["reconciliation_reconciliationrun"],))  # fmt: skip
        print(f"reconciliation runs: {dict(Counter(status for status, _ in runs))}")
        # A run of a date run again is superseded by the newer one: that is the rule, not a failure.
        failed = [message for status, message in runs if status not in ("completed", "superseded")]
        return [f"{len(failed)} reconciliation runs failed: {failed[:3]}"] if failed else []


def tasks_and_log(text: str, *, logged: bool) -> list[str]:
    if not logged:
        print("log: not checked (set SOAK_LOG to the `make run` output)")
        return []
    outcomes: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for name, task_id, outcome in TASK_LINE.findall(text):
        outcomes.setdefault(task_id, []).append(outcome)
        names[task_id] = name
    finished = Counter(
        names[task_id].rsplit(".", 1)[-1] for task_id, seen in outcomes.items() if seen[-1] == "succeeded"
    )
    retries = sum(seen.count("retry") for seen in outcomes.values())
    failed = [
        names[task_id] for task_id, seen in outcomes.items() if seen[-1] in ("raised unexpected", "failed")
    ]
    lost = [names[task_id] for task_id, seen in outcomes.items() if seen[-1] in ("received", "retry")]
    print(f"tasks: {len(outcomes)} ({sum(finished.values())} succeeded, {retries} retries, {len(failed)} failed, "
          f"{len(lost)} unfinished); by name: {dict(finished.most_common())}")  # fmt: skip
    bad = [line for line in text.splitlines() if any(marker in line for marker in BAD_LINES)]
    failures = [f"{len(failed)} tasks failed: {Counter(failed)}"] if failed else []
    failures += [f"{len(lost)} tasks received but never finished: {Counter(lost)}"] if lost else []
    if bad:
        failures.append(f"{len(bad)} bad log lines, e.g. " + " | ".join(line[:200] for line in bad[:5]))
    return failures


def drain(checks: Checks, *, seconds: float) -> float | None:
    """Seconds until nothing is pending twice in a row, or None after `seconds`."""
    started, calm, shown = time.monotonic(), 0, 0.0
    while time.monotonic() - started < seconds:
        pending = checks.pending()
        calm = calm + 1 if not any(pending.values()) else 0
        if calm >= 2:
            return time.monotonic() - started
        if time.monotonic() - shown > 15:
            print(f"  draining ({time.monotonic() - started:.0f} s): {pending}")
            shown = time.monotonic()
        time.sleep(1)
    print(f"  still pending: {checks.pending()}")
    return None
