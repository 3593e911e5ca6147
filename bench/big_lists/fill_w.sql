SET session_replication_role = replica;
\timing on
INSERT INTO gateways_webhookevent (provider, source, event_id, content_hash, event_type, object_type, object_id, body, headers, signature_valid, status, attempts, last_error, traceback, received_at, relay_pending, hospital_id)
SELECT CASE WHEN i % 2 = 0 THEN 'razorpay' ELSE 'paytm' END, 'webhook', 'evt_' || i, '', CASE WHEN i % 4 < 2 THEN 'payment.captured' ELSE 'order.paid' END, 'payment', 'pay_' || (i / 2), '\x7b7d', '{}', true,
  CASE WHEN i % 97 = 0 THEN 'failed' ELSE 'processed' END, 1, '', '', now() - i * interval '31.5 s', false, CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END
FROM generate_series(1, 1000000) i;
ANALYZE gateways_webhookevent;
