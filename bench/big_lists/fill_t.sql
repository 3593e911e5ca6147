SET session_replication_role = replica;
\timing on
INSERT INTO gateways_gatewaytransactionlog (provider, operation, object_ref, idempotency_key, method, url, http_status, outcome, latency_ms, gateway_ids, request_body, response_body, error_message, created_at, hospital_id)
SELECT CASE WHEN i % 2 = 0 THEN 'razorpay' ELSE 'paytm' END, CASE WHEN i % 2 = 0 THEN 'create_order' ELSE 'fetch_payment' END, 'PAY-' || lpad((i / 2)::text, 9, '0'), '', 'POST', 'https://api.razorpay.com/v1/orders', 200,
  CASE WHEN i % 50 = 0 THEN 'error' ELSE 'success' END, 120, '{}', '{}', '{}', '', now() - i * interval '31.5 s', CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END
FROM generate_series(1, 1000000) i;
ANALYZE gateways_gatewaytransactionlog;
