# ruff: noqa: E402  (django.setup() must run before the models are imported)
"""Time each big list page at a year's volume: best of 2 runs, per user; slowest queries."""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skinspire.settings.test")
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

PAGES = {
    "/admin/ledger/journalentry/": [
        "?entry_date__lt=2025-12-15",
        "",
        "?event=capture",
        "?entry_date__gte=2026-11-01",
        "?entry_date__year=2026&entry_date__month=6",
        "?q=123456",
        "?o=2",
    ],
    "/admin/core/auditentry/": [
        "?q=payment.capture",
        "?q=123456",
        "",
        "?action=payment.capture",
        "?actor__id__exact=2",
        "?hospital__id__exact=1",
        "?content_type__id__exact=20",
        "?created_at__gte=2026-11-01",
        "?q=PAY-123456",
        "?o=1",
    ],
    "/admin/gateways/webhookevent/": [
        "",
        "?provider=razorpay",
        "?status=failed",
        "?event_type=order.paid",
        "?object_type=payment",
        "?source=webhook",
        "?configuration__id__exact=1",
        "?received_at__gte=2026-11-01",
        "?q=pay_123456",
        "?o=2",
    ],
    "/admin/gateways/gatewaytransactionlog/": [
        "",
        "?provider=razorpay",
        "?operation=create_order",
        "?outcome=error",
        "?q=PAY-000123456",
        "?o=2",
    ],
    "/admin/payouts/supplierpayment/": [
        "",
        "?status__exact=failed",
        "?method__exact=manual",
        "?mode__exact=neft",
        "?q=SP-12345",
        "?o=2",
    ],
    "/admin/collections/patientpayment/": [
        "",
        "?status__exact=failed",
        "?category__exact=manual",
        "?source=razorpay",
        "?branch__id__exact=3",
        "?q=PAY-001234567",
        "?o=3",
    ],
    "/admin/collections/patientrefund/": [
        "",
        "?status__exact=failed",
        "?branch__id__exact=3",
        "?q=REF-1234",
        "?o=2",
    ],
    "/admin/collections/paymentlink/": [
        "",
        "?status__exact=expired",
        "?source=razorpay",
        "?branch__id__exact=3",
        "?q=LNK-1234",
        "?o=2",
    ],
    "/admin/collections/bill/": [
        "",
        "?status__exact=unpaid",
        "?category=opd",
        "?branch__id__exact=3",
        "?q=BILL-1234",
        "?o=1",
    ],
    "/admin/collections/patientpayment/1234567/change/": [""],
    "/workspace/patient-payments/": ["", "?status=failed", "?q=PAY-001234567", "?page=50"],
    "/workspace/bills/": [
        "",
        "?status=unpaid",
        "?q=BILL-1234",
        # fill_s.sql's patients: parts of a name (common, rarer, a full name), a number (UHID),
        # a part of a bill number inside it, nothing found, too short for a part
        "?q=iyer",
        "?q=priya iy",
        "?q=Keerthi Dsouza",
        "?q=uhid123457",
        "?q=34567",
        "?q=nosuchname",
        "?q=ab",
    ],
    "/workspace/payouts/": ["", "?status=failed"],
    "/api/patient-payments": ["", "?offset=1000", "?bill_id=1234567"],
    "/api/payment-links": [""],
    "/api/bills": [""],
    "/api/payouts/payments/": ["", "?status=failed"],
}
only = sys.argv[1:]
User = get_user_model()
results: dict = {}
for username in os.environ.get("USERS", "root,staff").split(","):
    c = Client()
    c.force_login(User.objects.get(username=username))
    for base, queries in PAGES.items():
        if only and not any(o in base for o in only):
            continue
        for q in queries:
            times = []
            for _ in range(int(os.environ.get("RUNS", "2"))):
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    r = c.get(base + q, HTTP_HOST="localhost")
                    times.append(time.perf_counter() - t)
            dbtime = sum(float(x["time"]) for x in ctx.captured_queries)
            slow = sorted(((float(x["time"]), x["sql"][:160]) for x in ctx.captured_queries), reverse=True)[
                :2
            ]
            print(
                f"{username:5s} {base + q:62s} {r.status_code} {min(times):6.2f}s db={dbtime:6.2f}s n={len(ctx.captured_queries)} slow={[(round(a, 2), b) for a, b in slow if a > 0.1]}",
                flush=True,
            )
