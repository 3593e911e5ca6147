SET session_replication_role = replica;
\timing on
-- N = 7.3M: a year at 20k payments a day; 4.32 s apart spans 365 days

INSERT INTO collections_bill (created_at, updated_at, number, category, description, amount, amount_paid, status, due_date, branch_id, hospital_id, patient_id)
SELECT now() - i * interval '4.32 s', now() - i * interval '4.32 s', 'BILL-' || i, 'opd', '', 1000, 1000, CASE WHEN i % 7 = 0 THEN 'unpaid' ELSE 'paid' END, NULL,
  CASE WHEN i % 10 = 0 THEN 11 ELSE 1 END + (i / 10) % 10, CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END, CASE WHEN i % 10 = 0 THEN 1001 ELSE 1 END + i % 1000
FROM generate_series(1, 7300000) i;
INSERT INTO collections_patientpayment (created_at, updated_at, reference, amount, amount_refunded, category, source, method, status, gateway_order_id, gateway_payment_id, bank_transaction_id, failure_code, failure_reason, captured_at, notes, bill_id, branch_id, hospital_id)
SELECT now() - i * interval '4.32 s', now() - i * interval '4.32 s', 'PAY-' || lpad(i::text, 9, '0'), 1000, 0,
  CASE WHEN i % 5 = 0 THEN 'manual' ELSE 'gateway' END, CASE WHEN i % 5 = 0 THEN 'internal' WHEN i % 2 = 0 THEN 'razorpay' ELSE 'paytm' END,
  CASE WHEN i % 5 = 0 THEN 'cash' ELSE 'upi' END, CASE WHEN i % 13 = 0 THEN 'failed' WHEN i % 50 = 0 THEN 'created' ELSE 'captured' END,
  CASE WHEN i % 5 = 0 THEN '' ELSE 'order_' || i END, CASE WHEN i % 5 = 0 THEN '' ELSE 'pay_' || i END, CASE WHEN i % 5 = 0 THEN '' ELSE 'UTR' || i END, '', '',
  now() - i * interval '4.32 s', '', i, CASE WHEN i % 10 = 0 THEN 11 ELSE 1 END + (i / 10) % 10, CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END
FROM generate_series(1, 7300000) i;
INSERT INTO collections_patientrefund (created_at, updated_at, reference, amount, reason, status, gateway_refund_id, bank_reference, failure_code, failure_reason, processed_at, branch_id, hospital_id, payment_id)
SELECT now() - i * 20 * interval '4.32 s', now(), 'REF-' || i, 100, 'asked', CASE WHEN i % 9 = 0 THEN 'failed' ELSE 'processed' END, 'rfnd_' || i, '', '', '', now(),
  CASE WHEN i*20 % 10 = 0 THEN 11 ELSE 1 END + (i*20 / 10) % 10, CASE WHEN i*20 % 10 = 0 THEN 2 ELSE 1 END, i * 20
FROM generate_series(1, 365000) i;
INSERT INTO collections_paymentlink (created_at, updated_at, reference, token, amount, amount_paid, status, source, gateway_link_id, gateway_url, expires_at, notify_email, notify_sms, bill_id, branch_id, hospital_id)
SELECT now() - i * 5 * interval '4.32 s', now(), 'LNK-' || i, md5(i::text), 1000, 0, CASE WHEN i % 3 = 0 THEN 'expired' ELSE 'paid' END, 'razorpay', 'plink_' || i, 'https://rzp.io/x', now(), false, false,
  i * 5, CASE WHEN i*5 % 10 = 0 THEN 11 ELSE 1 END + (i*5 / 10) % 10, CASE WHEN i*5 % 10 = 0 THEN 2 ELSE 1 END
FROM generate_series(1, 1460000) i;
INSERT INTO payouts_supplierpayment (created_at, updated_at, method, mode, amount, status, reference, idempotency_key, gateway_idempotency_key, requested_provider, gateway_payout_id, gateway_fund_account_id, utr, failure_reason, failure_code, description, manual_reference, rejection_reason, branch_id, created_by_id, hospital_id, supplier_id, link_send_email, link_send_sms, payout_link_id, payout_link_status, payout_link_url, waiting_code, waiting_reason, failed_payout_attempts)
SELECT now() - i * 86.4 * interval '1 s', now(), CASE WHEN i % 4 = 0 THEN 'payout_link' ELSE 'manual' END, 'neft', 5000, CASE WHEN i % 11 = 0 THEN 'failed' ELSE 'completed' END,
  'SP-' || i, 'idem-' || i, md5(i::text)::uuid, '', 'pout_' || i, '', 'UTRS' || i, '', '', '', '', '', NULL, 1, CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END, CASE WHEN i % 10 = 0 THEN 201 ELSE 1 END + i % 200,
  false, false, '', '', '', '', '', '[]'
FROM generate_series(1, 365000) i;
INSERT INTO core_statustransition (object_id, occurred_at, from_state, to_state, outcome, reason, event_reference, content_type_id)
SELECT (i / 2 + 1)::text, now() - i * interval '2.16 s', 'created', 'captured', 'applied', 'gateway event', 'evt_' || i, 20 FROM generate_series(1, 14600000) i;
ANALYZE;
