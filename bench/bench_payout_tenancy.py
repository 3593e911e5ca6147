"""The cost of the payout tenancy rules (payouts migration 0011): `bench/run.py payout_tenancy`.

BENCH_TENANCY_PAYMENTS (default 10,000) supplier payments inserted by bulk_create, then all
of them changed by one UPDATE (status) and by one UPDATE naming rows the rules check
(configuration), then 1,000 of them by one UPDATE each (as the services write), with the supplier payment triggers on and off, alternating, three times
each. Each run is one transaction, rolled back: the triggers are switched off inside it
(PostgreSQL: ALTER TABLE ... DISABLE TRIGGER; SQLite: DROP TRIGGER), so nothing outlives it.
CPU seconds are what count on a shared machine (cpu_clock: Python and the backend).
"""

import os
import uuid
from decimal import Decimal

import cpu_clock
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from skinspire.core.models import Branch
from skinspire.core.services import hospital_create
from skinspire.gateways.models import GatewayConfiguration
from skinspire.payouts.models import Supplier, SupplierPayment
from skinspire.payouts.services.accounts import supplier_account_create

PAYMENTS = int(os.environ.get("BENCH_TENANCY_PAYMENTS", "10000"))
SINGLE = 1_000
RUNS = 3
TRIGGERS = ("payouts_supplierpayment_tenancy_insert", "payouts_supplierpayment_tenancy_update")


def rows_to_pay() -> dict:
    hospital = hospital_create(name="Bench tenancy", code="BTEN")
    supplier = Supplier.objects.create(hospital=hospital, name="Bench supplier")
    configurations = [
        GatewayConfiguration.objects.create(hospital=hospital, name=f"Bench {n}", provider="razorpay")
        for n in range(2)
    ]
    return {
        "hospital": hospital,
        "branch": Branch.objects.create(hospital=hospital, name="Bench branch", code="BB"),
        "supplier": supplier,
        "account": supplier_account_create(
            supplier=supplier, kind="bank", holder_name="Bench", account_number="50100012345678",
            ifsc="HDFC0000123", actor=None,
        ),
        "configurations": configurations,
        "maker": get_user_model().objects.create(username="bench-tenancy", hospital=hospital),
    }  # fmt: skip


def payments(rows: dict) -> list[SupplierPayment]:
    return [
        SupplierPayment(
            hospital=rows["hospital"],
            branch=rows["branch"],
            supplier=rows["supplier"],
            account=rows["account"],
            configuration=rows["configurations"][0],
            method="gateway_payout",
            mode="imps",
            amount=Decimal("1000.00"),
            reference=f"SP{uuid.uuid4().hex[:18]}",
            idempotency_key=uuid.uuid4().hex,
            created_by=rows["maker"],
        )  # fmt: skip
        for _ in range(PAYMENTS)
    ]


def triggers_off() -> None:
    with connection.cursor() as cursor:
        for trigger in TRIGGERS:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE payouts_supplierpayment DISABLE TRIGGER {trigger}")
            else:
                cursor.execute(f"DROP TRIGGER {trigger}")


def one_run(rows: dict, *, rules_on: bool) -> tuple[cpu_clock.Reading, ...]:
    unsaved = payments(rows)
    with transaction.atomic():
        if not rules_on:
            triggers_off()
        started = cpu_clock.read()
        SupplierPayment.objects.bulk_create(unsaved)
        inserted = cpu_clock.read()
        SupplierPayment.objects.filter(hospital=rows["hospital"]).update(status="cancelled")
        status_updated = cpu_clock.read()
        SupplierPayment.objects.filter(hospital=rows["hospital"]).update(
            configuration=rows["configurations"][1]
        )
        checked_updated = cpu_clock.read()
        # As the services write: one row per statement, the trigger's fixed cost each time.
        for pk in SupplierPayment.objects.filter(hospital=rows["hospital"]).values_list("pk", flat=True)[
            :SINGLE
        ]:
            SupplierPayment.objects.filter(pk=pk).update(status="failed")
        singles_updated = cpu_clock.read()
        transaction.set_rollback(True)
    return (
        inserted - started,
        status_updated - inserted,
        checked_updated - status_updated,
        singles_updated - checked_updated,
    )


def cpu(reading: cpu_clock.Reading) -> float:
    return reading.client_cpu + (reading.server_cpu or 0.0)


def main() -> None:
    rows = rows_to_pay()
    one_run(rows, rules_on=True)  # warm-up: caches, plans
    results: dict[bool, list] = {True: [], False: []}
    for _ in range(RUNS):
        for rules_on in (False, True):
            results[rules_on].append(one_run(rows, rules_on=rules_on))
    steps = ("bulk_create", "UPDATE status", "UPDATE configuration", f"{SINGLE:,} one-row UPDATEs")
    server = (
        "Python + PostgreSQL backend" if connection.vendor == "postgresql" else "Python (SQLite in process)"
    )
    print(f"payout tenancy rules, {PAYMENTS:,} supplier payments, CPU seconds ({server}), {RUNS} runs each:")
    for index, step in enumerate(steps):
        line = []
        for rules_on in (False, True):
            seconds = sorted(cpu(run[index]) for run in results[rules_on])
            label = "rules on" if rules_on else "rules off"
            line.append(f"{label} {seconds[1]:.3f}s (runs {', '.join(f'{s:.3f}' for s in seconds)})")
        off = sorted(cpu(run[index]) for run in results[False])[1]
        on = sorted(cpu(run[index]) for run in results[True])[1]
        print(f"  {step}: {'; '.join(line)}; median on/off {on / off:.2f}")
    for rules_on in (False, True):
        for run in results[rules_on]:
            print(f"    {'on ' if rules_on else 'off'} bulk_create {run[0].describe(PAYMENTS)}")
