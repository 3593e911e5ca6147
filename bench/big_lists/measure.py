# ruff: noqa: E402  (django.setup() must run before the models are imported)
"""Time each big list page at a year's volume: best and median of RUNS (2) runs, per user;
slowest queries."""

import datetime
import os
import statistics
import sys
import time
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skinspire.settings.test")
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


def created_between(since: datetime.datetime, until: datetime.datetime) -> str:
    """A link of admin's date filter (DateFieldListFilter): local midnights, as it writes them."""
    return "?" + urlencode({"created_at__gte": str(since), "created_at__lt": str(until)})


today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
tomorrow = today + datetime.timedelta(days=1)
month = today.replace(day=1)

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
        # The date filter's links (today, past 7 days, this month, this year) and a past month,
        # five months before this one (the fills' rows are numbered newest-first).
        created_between(today, tomorrow),
        created_between(today - datetime.timedelta(days=7), tomorrow),
        created_between(month, (month + datetime.timedelta(days=32)).replace(day=1)),
        created_between(today.replace(month=1, day=1), today.replace(year=today.year + 1, month=1, day=1)),
        created_between(
            (month - datetime.timedelta(days=140)).replace(day=1),
            (month - datetime.timedelta(days=110)).replace(day=1),
        ),
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
    "/workspace/payouts/": [
        "",
        "?status=failed",
        # fill_p.sql's suppliers (two hospitals): a word 400 of them share, another, a whole
        # name (2), a word 200 share, a part (400), nothing; a payment reference, an invoice's
        "?q=pharma",
        "?q=traders",
        "?q=Sri Pharma Traders",
        "?q=sri",
        "?q=lab sup",
        "?q=nosuchname",
        "?q=SPN-123456",
        "?q=INV-1234",
    ],
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
                f"{username:5s} {base + q:62s} {r.status_code} {min(times):6.2f}s med={statistics.median(times):6.2f}s db={dbtime:6.2f}s n={len(ctx.captured_queries)} slow={[(round(a, 2), b) for a, b in slow if a > 0.1]}",
                flush=True,
            )
