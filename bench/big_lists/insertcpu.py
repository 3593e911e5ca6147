# ruff: noqa: SIM115  (a one-shot read of /proc)
"""Backend CPU (user+sys, from /proc) of inserting 100k patient payments, with and without
the UTR index, 3 runs each, rolled back."""

import os

import psycopg

INSERT = """INSERT INTO collections_patientpayment (created_at, updated_at, reference, amount, amount_refunded, category, source, method, status, gateway_order_id, gateway_payment_id, bank_transaction_id, failure_code, failure_reason, notes, bill_id, branch_id, hospital_id) SELECT now(), now(), 'X-' || i, 1000, 0, 'gateway', 'razorpay', 'upi', 'captured', 'xo_' || i, 'xp_' || i, CASE WHEN i % 5 = 0 THEN '' ELSE 'XUTR' || i END, '', '', '', 1, 1, 1 FROM generate_series(1, 100000) i"""
tick = os.sysconf("SC_CLK_TCK")


def cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick


with psycopg.connect("postgresql://postgres@127.0.0.1:5432/adminscale_h") as conn:
    pid = conn.execute("select pg_backend_pid()").fetchone()[0]  # type: ignore[index]  # one row
    conn.execute("SET session_replication_role = replica")
    conn.commit()
    for label, drop in (("with index", False), ("without", True)):
        for _ in range(3):
            if drop:
                conn.execute("DROP INDEX collections_payment_utr")
            before = cpu(pid)
            conn.execute(INSERT)
            print(label, f"{cpu(pid) - before:.2f}s CPU", flush=True)
            conn.rollback()
