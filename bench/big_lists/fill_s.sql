-- The year's bills, patient payments and audit entries of fill_a.sql / fill_c.sql, with a
-- million named patients instead of a thousand (the bills search matches parts of a patient's
-- name): patient j (id 10000 + j) belongs to hospital 2 when j % 10 = 0, as bill i does when
-- i % 10 = 0, and bill i goes to patient (i - 1) % 1000000 + 1, so each patient has ~7 bills.
-- Names: 41 first names x 43 surnames, each full name shared by ~570 patients.
SET session_replication_role = replica;
\timing on
INSERT INTO collections_patient (id, created_at, updated_at, patient_number, name, phone, email, hospital_id)
SELECT 10000 + j, now(), now(), 'UHID' || j,
  (ARRAY['Aarav','Priya','Rahul','Ananya','Vikram','Sneha','Arjun','Kavya','Rohan','Isha','Karthik','Meera','Aditya','Divya','Sanjay','Pooja','Nikhil','Lakshmi','Manoj','Deepa','Suresh','Anjali','Ravi','Nandini','Vijay','Swathi','Ganesh','Revathi','Harish','Shalini','Prakash','Bhavana','Mohan','Keerthi','Anil','Sowmya','Ramesh','Gayathri','Kiran','Madhuri','Varun'])[1 + j % 41]
  || ' ' ||
  (ARRAY['Sharma','Iyer','Reddy','Nair','Patel','Gupta','Menon','Rao','Kumar','Singh','Pillai','Joshi','Desai','Mehta','Krishnan','Subramanian','Banerjee','Chatterjee','Mukherjee','Agarwal','Verma','Mishra','Pandey','Naidu','Shetty','Hegde','Kamath','Bhat','Kulkarni','Deshpande','Jain','Shah','Chopra','Malhotra','Kapoor','Bose','Das','Ghosh','Sen','Varma','Thomas','Fernandes','Dsouza'])[1 + (j / 41) % 43],
  '', '', CASE WHEN j % 10 = 0 THEN 2 ELSE 1 END
FROM generate_series(1, 1000000) j;
SELECT setval(pg_get_serial_sequence('collections_patient', 'id'), 1010000);

INSERT INTO collections_bill (created_at, updated_at, number, category, description, amount, amount_paid, status, due_date, branch_id, hospital_id, patient_id)
SELECT now() - i * interval '4.32 s', now() - i * interval '4.32 s', 'BILL-' || i, 'opd', '', 1000, 1000, CASE WHEN i % 7 = 0 THEN 'unpaid' ELSE 'paid' END, NULL,
  CASE WHEN i % 10 = 0 THEN 11 ELSE 1 END + (i / 10) % 10, CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END, 10000 + (i - 1) % 1000000 + 1
FROM generate_series(1, 7300000) i;
INSERT INTO collections_patientpayment (created_at, updated_at, reference, amount, amount_refunded, category, source, method, status, gateway_order_id, gateway_payment_id, bank_transaction_id, failure_code, failure_reason, captured_at, notes, bill_id, branch_id, hospital_id)
SELECT now() - i * interval '4.32 s', now() - i * interval '4.32 s', 'PAY-' || lpad(i::text, 9, '0'), 1000, 0,
  CASE WHEN i % 5 = 0 THEN 'manual' ELSE 'gateway' END, CASE WHEN i % 5 = 0 THEN 'internal' WHEN i % 2 = 0 THEN 'razorpay' ELSE 'paytm' END,
  CASE WHEN i % 5 = 0 THEN 'cash' ELSE 'upi' END, CASE WHEN i % 13 = 0 THEN 'failed' WHEN i % 50 = 0 THEN 'created' ELSE 'captured' END,
  CASE WHEN i % 5 = 0 THEN '' ELSE 'order_' || i END, CASE WHEN i % 5 = 0 THEN '' ELSE 'pay_' || i END, CASE WHEN i % 5 = 0 THEN '' ELSE 'UTR' || i END, '', '',
  now() - i * interval '4.32 s', '', i, CASE WHEN i % 10 = 0 THEN 11 ELSE 1 END + (i / 10) % 10, CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END
FROM generate_series(1, 7300000) i;
ANALYZE;
