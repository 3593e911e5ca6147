"""The cost of the money rows' rules (payouts migration 0012): `bench/run.py money_rules`.

BENCH_MONEY_PAYMENTS (default 10,000) supplier payments inserted as drafts by bulk_create,
then all of them approved by one UPDATE, then each of them submitted by an UPDATE of its own
(as skinspire.core.transitions writes a move: one row per statement), with the supplier
payment's money triggers on and off, alternating, three times each. The tenancy triggers stay
on throughout. Each run is one transaction, rolled back: the triggers are switched off inside
it (PostgreSQL: ALTER TABLE ... DISABLE TRIGGER; SQLite: DROP TRIGGER), so nothing outlives
it. Then the same number of one-row moves again without the ORM (PostgreSQL: a DO loop in
the backend; SQLite: executemany). CPU seconds are what count on a shared machine (cpu_clock: Python and the backend).
"""

import os

import cpu_clock
from bench_payout_tenancy import cpu, payments, rows_to_pay
from django.db import connection, transaction

from skinspire.payouts.models import SupplierPayment

PAYMENTS = int(os.environ.get("BENCH_MONEY_PAYMENTS", "10000"))
RUNS = 3
TRIGGERS = tuple(f"payouts_supplierpayment_money_{event}" for event in ("insert", "update", "delete"))


def triggers_off() -> None:
    with connection.cursor() as cursor:
        for trigger in TRIGGERS:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE payouts_supplierpayment DISABLE TRIGGER {trigger}")
            else:
                cursor.execute(f"DROP TRIGGER {trigger}")


def one_run(rows: dict, *, rules_on: bool) -> tuple[cpu_clock.Reading, ...]:
    unsaved = payments(rows)[:PAYMENTS]
    with transaction.atomic():
        if not rules_on:
            triggers_off()
        started = cpu_clock.read()
        SupplierPayment.objects.bulk_create(unsaved)
        inserted = cpu_clock.read()
        SupplierPayment.objects.filter(hospital=rows["hospital"]).update(status="approved")
        all_updated = cpu_clock.read()
        for pk in SupplierPayment.objects.filter(hospital=rows["hospital"]).values_list("pk", flat=True):
            SupplierPayment.objects.filter(pk=pk).update(status="submitted")
        singles_updated = cpu_clock.read()
        # The same moves with no client in between (PostgreSQL: one DO loop in the backend),
        # so the triggers' share is not lost in the client's own cost per statement.
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "DO $$ DECLARE row_id bigint; BEGIN FOR row_id IN SELECT id FROM payouts_supplierpayment "
                    f"WHERE hospital_id = {rows['hospital'].pk} LOOP UPDATE payouts_supplierpayment "
                    "SET status = 'processing' WHERE id = row_id; END LOOP; END $$"
                )
            else:
                ids = SupplierPayment.objects.filter(hospital=rows["hospital"]).values_list("pk", flat=True)
                cursor.executemany(
                    "UPDATE payouts_supplierpayment SET status = 'processing' WHERE id = %s",
                    [(pk,) for pk in ids],
                )
        looped = cpu_clock.read()
        transaction.set_rollback(True)
    return inserted - started, all_updated - inserted, singles_updated - all_updated, looped - singles_updated


def main() -> None:
    rows = rows_to_pay()
    one_run(rows, rules_on=True)  # warm-up: caches, plans
    results: dict[bool, list] = {True: [], False: []}
    for _ in range(RUNS):
        for rules_on in (False, True):
            results[rules_on].append(one_run(rows, rules_on=rules_on))
    steps = (
        "bulk_create",
        "one UPDATE of every status",
        f"{PAYMENTS:,} one-row status UPDATEs (ORM)",
        f"{PAYMENTS:,} one-row status UPDATEs (PostgreSQL: a DO loop; SQLite: executemany)",
    )
    server = (
        "Python + PostgreSQL backend" if connection.vendor == "postgresql" else "Python (SQLite in process)"
    )
    print(f"payout money rules, {PAYMENTS:,} supplier payments, CPU seconds ({server}), {RUNS} runs each:")
    for index, step in enumerate(steps):
        line = []
        for rules_on in (False, True):
            seconds = sorted(cpu(run[index]) for run in results[rules_on])
            label = "rules on" if rules_on else "rules off"
            line.append(f"{label} {seconds[1]:.3f}s (runs {', '.join(f'{s:.3f}' for s in seconds)})")
        off = sorted(cpu(run[index]) for run in results[False])[1]
        on = sorted(cpu(run[index]) for run in results[True])[1]
        print(f"  {step}: {'; '.join(line)}; median on/off {on / off:.2f}")
