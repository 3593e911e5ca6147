# ruff: noqa: SIM115  (a one-shot read of /proc)
"""Backend CPU (user+sys, from /proc) of inserting 100k rows with and without an index this
stop added, 3 runs each, rolled back: bills (the trigram index of their numbers), patients
(of their names), patient payments (of their hospital and branch), audit entries (of their object ids);
supplier payments (the trigram index of their searched columns) and supplier invoices (of their
numbers), added later on 1 December. DATABASE names the filled database."""

import os
import sys

import psycopg

ROWS = 100_000
CASES = {
    "bill": (
        "collections_bill_number_trgm",
        f"""INSERT INTO collections_bill (created_at, updated_at, number, category, description, amount,
        amount_paid, status, due_date, branch_id, hospital_id, patient_id)
        SELECT now(), now(), 'OPD-2027-' || lpad(i::text, 7, '0'), 'opd', '', 1000, 0, 'unpaid', NULL,
        1, 1, 10001 FROM generate_series(1, {ROWS}) i""",
    ),
    "patient": (
        "collections_patient_name_trgm",
        f"""INSERT INTO collections_patient (created_at, updated_at, patient_number, name, phone, email,
        hospital_id) SELECT now(), now(), 'NEW' || i, 'Patient ' || md5(i::text), '', '', 1
        FROM generate_series(1, {ROWS}) i""",
    ),
    "payment": (
        "collections_payment_scope",
        f"""INSERT INTO collections_patientpayment (created_at, updated_at, reference, amount,
        amount_refunded, category, source, method, status, gateway_order_id, gateway_payment_id,
        bank_transaction_id, failure_code, failure_reason, notes, bill_id, branch_id, hospital_id)
        SELECT now(), now(), 'X-' || i, 1000, 0, 'gateway', 'razorpay', 'upi', 'captured', 'xo_' || i,
        'xp_' || i, 'XUTR' || i, '', '', '', 1, 1 + i % 10, 1 FROM generate_series(1, {ROWS}) i""",
    ),
    "audit": (
        "audit_entry_object_id",
        f"""INSERT INTO core_auditentry (chain, sequence, created_at, action, actor_username, object_id,
        object_repr, changes, ip_address, message, previous_hash, entry_hash, content_type_id,
        hospital_id, actor_id) SELECT 'bench', i, now(), 'payment.capture', 'staff', (20000000 + i)::text,
        'Payment', '{{}}', '10.0.0.1', '', '', md5('bench' || i) || md5(i::text), 20, 1, 2
        FROM generate_series(1, {ROWS}) i""",
    ),
    "supplierpayment": (
        "payouts_payment_search_trgm",
        f"""INSERT INTO payouts_supplierpayment (created_at, updated_at, method, mode, amount, status,
        reference, idempotency_key, gateway_idempotency_key, requested_provider, gateway_payout_id,
        gateway_fund_account_id, utr, failure_reason, failure_code, description, manual_reference,
        rejection_reason, branch_id, created_by_id, hospital_id, supplier_id, link_send_email,
        link_send_sms, payout_link_id, payout_link_status, payout_link_url, waiting_code,
        waiting_reason, failed_payout_attempts)
        SELECT now(), now(), 'manual', 'neft', 5000, 'completed', 'SPX-' || i, 'idem-x-' || i,
        md5('x' || i)::uuid, '', 'pout_X' || md5(i::text), '', 'UTRX' || i, '', '', '',
        CASE WHEN i % 4 = 0 THEN 'CHQ ' || i ELSE '' END, '', NULL, 1, 1, 401, false, false, '', '',
        '', '', '', '[]' FROM generate_series(1, {ROWS}) i""",
    ),
    "invoice": (
        "payouts_invoice_number_trgm",
        f"""INSERT INTO payouts_supplierinvoice (created_at, updated_at, hospital_id, supplier_id, number,
        invoice_date, amount, amount_allocated, amount_paid, status)
        SELECT now(), now(), 1, 401, 'INVX-' || i, now()::date, 5000, 0, 0, 'open'
        FROM generate_series(1, {ROWS}) i""",
    ),
}
tick = os.sysconf("SC_CLK_TCK")


def cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick


database = os.environ.get("DATABASE", "search_year")
with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{database}") as conn:
    pid = conn.execute("select pg_backend_pid()").fetchone()[0]  # type: ignore[index]  # one row
    conn.execute("SET session_replication_role = replica")
    conn.commit()
    for name in sys.argv[1:] or CASES:
        index, insert = CASES[name]
        for label, drop in (("with index", False), ("without", True)):
            for _ in range(3):
                if drop:
                    conn.execute(f"DROP INDEX {index}")
                before = cpu(pid)
                conn.execute(insert)
                print(name, label, f"{cpu(pid) - before:.2f}s CPU", flush=True)
                conn.rollback()
