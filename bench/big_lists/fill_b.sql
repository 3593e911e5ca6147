SET session_replication_role = replica;
\timing on
INSERT INTO ledger_journalentry (entry_date, memo, source_type, source_id, event, created_at, hospital_id)
SELECT (now() - i * interval '4.32 s')::date, '', 'collections.patientpayment', i::text, CASE WHEN i % 20 = 0 THEN 'refund' ELSE 'capture' END, now() - i * interval '4.32 s', CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END
FROM generate_series(1, 7300000) i;
INSERT INTO ledger_journalline (debit, credit, memo, account_id, entry_id)
SELECT CASE WHEN k = 1 THEN 1000 ELSE 0 END, CASE WHEN k = 1 THEN 0 WHEN k = 2 THEN 980 ELSE 20 END, '', k + CASE WHEN i % 10 = 0 THEN 4 ELSE 0 END, i
FROM generate_series(1, 7300000) i, generate_series(1, 3) k;
INSERT INTO core_auditentry (chain, sequence, created_at, action, actor_username, object_id, object_repr, changes, ip_address, message, previous_hash, entry_hash, content_type_id, hospital_id, actor_id)
SELECT 'h' || CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END, i, now() - i * interval '2.16 s', CASE WHEN i % 3 = 0 THEN 'payment.capture' WHEN i % 3 = 1 THEN 'bill.create' ELSE 'payment.initiate' END,
  'staff', i::text, 'Payment PAY-' || i, '{}', '10.0.0.1', '', '', md5(i::text) || md5((-i)::text), 20, CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END, 2
FROM generate_series(1, 14600000) i;
INSERT INTO gateways_webhookevent (provider, source, event_id, content_hash, event_type, object_type, object_id, body, headers, signature_valid, status, attempts, last_error, traceback, received_at, relay_pending, hospital_id)
SELECT CASE WHEN i % 2 = 0 THEN 'razorpay' ELSE 'paytm' END, 'webhook', 'evt_' || i, '', CASE WHEN i % 4 < 2 THEN 'payment.captured' ELSE 'order.paid' END, 'payment', 'pay_' || (i / 2), '\x7b7d', '{}', true,
  CASE WHEN i % 97 = 0 THEN 'failed' ELSE 'processed' END, 1, '', '', now() - i * interval '2.16 s', false, CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END
FROM generate_series(1, 14600000) i;
INSERT INTO gateways_gatewaytransactionlog (provider, operation, object_ref, idempotency_key, method, url, http_status, outcome, latency_ms, gateway_ids, request_body, response_body, error_message, created_at, hospital_id)
SELECT CASE WHEN i % 2 = 0 THEN 'razorpay' ELSE 'paytm' END, CASE WHEN i % 2 = 0 THEN 'create_order' ELSE 'fetch_payment' END, 'PAY-' || lpad((i / 2)::text, 9, '0'), '', 'POST', 'https://api.razorpay.com/v1/orders', 200,
  CASE WHEN i % 50 = 0 THEN 'error' ELSE 'success' END, 120, '{}', '{}', '{}', '', now() - i * interval '2.16 s', CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END
FROM generate_series(1, 14600000) i;
ANALYZE;
