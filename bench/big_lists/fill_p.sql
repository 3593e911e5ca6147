-- Named suppliers for the workspace's supplier payments search (after base.py; fill_a.sql's
-- 365k payments to "Supplier <n>" may be there too or not: references here do not clash).
-- 2,000 suppliers a hospital, "<first> <trade> <kind>": 20 x 10 x 10 words, so a trade word
-- ("Pharma") is shared by 200 of a hospital's suppliers, a first word ("Sri") by 100, a kind
-- ("Traders") by 200. 365k payments over a year, each settling one invoice of its supplier.
SET session_replication_role = replica;
\timing on
INSERT INTO payouts_supplier (created_at, updated_at, hospital_id, name, email, phone, gstin, is_active)
SELECT now(), now(), h,
  (ARRAY['Sri','Apollo','Medi','Life','Care','Global','National','Sai','Balaji','Ganesh','Lakshmi','Om','Royal','Star','United','City','Metro','Prime','Unique','Jai'])[1 + n / 100]
  || ' ' || (ARRAY['Pharma','Surgicals','Healthcare','Diagnostics','Linen','Oxygen','Lab Supplies','Instruments','Foods','Electricals'])[1 + (n / 10) % 10]
  || ' ' || (ARRAY['Traders','Enterprises','Distributors','Agencies','Pvt Ltd','& Co','Corporation','Suppliers','Industries','Services'])[1 + n % 10],
  '', '', '', true
FROM generate_series(1, 2) h, generate_series(0, 1999) n;
CREATE TEMP TABLE named AS
SELECT id, hospital_id, row_number() OVER (PARTITION BY hospital_id ORDER BY id) - 1 AS n
FROM payouts_supplier WHERE name NOT LIKE 'Supplier %';
INSERT INTO payouts_supplierinvoice (created_at, updated_at, hospital_id, supplier_id, number, invoice_date, amount, amount_allocated, amount_paid, status)
SELECT now() - i * 86.4 * interval '1 s', now(), s.hospital_id, s.id, 'INV-' || i, (now() - i * 86.4 * interval '1 s')::date, 5000, 5000, 5000, 'paid'
FROM generate_series(1, 365000) i
JOIN named s ON s.hospital_id = CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END AND s.n = (i::bigint * 7919 / 10) % 2000
ORDER BY i;  -- ids in time order (newest first, as the other fills), not grouped by supplier
INSERT INTO payouts_supplierpayment (created_at, updated_at, method, mode, amount, status, reference, idempotency_key, gateway_idempotency_key, requested_provider, gateway_payout_id, gateway_fund_account_id, utr, failure_reason, failure_code, description, manual_reference, rejection_reason, branch_id, created_by_id, hospital_id, supplier_id, link_send_email, link_send_sms, payout_link_id, payout_link_status, payout_link_url, waiting_code, waiting_reason, failed_payout_attempts)
SELECT v.created_at, now(), CASE WHEN i % 4 = 0 THEN 'payout_link' ELSE 'manual' END, 'neft', 5000, CASE WHEN i % 11 = 0 THEN 'failed' ELSE 'completed' END,
  'SPN-' || i, 'idem-n-' || i, md5('n' || i)::uuid, '', 'poutn_' || i, '', 'UTRN' || i, '', '', '', '', '', NULL, 1, v.hospital_id, v.supplier_id,
  false, false, '', '', '', '', '', '[]'
FROM payouts_supplierinvoice v, LATERAL (SELECT substr(v.number, 5)::int AS i) k
WHERE v.number LIKE 'INV-%'
ORDER BY v.id;
INSERT INTO payouts_paymentallocation (payment_id, invoice_id, amount)
SELECT p.id, v.id, 5000
FROM payouts_supplierpayment p JOIN payouts_supplierinvoice v ON v.number = 'INV-' || substr(p.reference, 5)
WHERE p.reference LIKE 'SPN-%';
ANALYZE payouts_supplier, payouts_supplierinvoice, payouts_supplierpayment, payouts_paymentallocation;
