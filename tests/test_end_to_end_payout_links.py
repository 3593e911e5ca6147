"""A supplier payout link end to end with a real Celery worker on the configured broker
(Redis in CI): nothing runs eagerly. A staff user asks for a payout link through the API;
the worker issues it at the sandbox's RazorpayX; the supplier claims it on the sandbox's
page with a UPI id; the sandbox's worker-run steps pay it and send signed webhooks to our
inbox, whose relay hands them to the payouts handlers. The payment completes with its UTR
and fee, the invoice is paid, the ledger is posted once and balances, and the gateway's
clearing account shows exactly amount plus fee."""

from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client
from rest_framework.test import APIClient

from skinspire.celery_app import app
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.waiting import wait_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.ledger import chart
from skinspire.ledger.models import Account, JournalEntry
from skinspire.ledger.selectors import account_balance, trial_balance
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import SupplierInvoice, SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory
from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

pytestmark = pytest.mark.django_db(transaction=True)

SANDBOX = "http://sandbox.testserver/sandbox/razorpay"
INBOX = "http://sandbox.testserver/api/gateway/webhook/razorpay"
AMOUNT, FEE = Decimal("2750.00"), Decimal("5.90")


@pytest.fixture
def gateway(hospital):
    merchant = SandboxMerchantFactory(webhook_url=INBOX, account_number="2323230041626905")
    return GatewayConfigurationFactory(
        hospital=hospital,
        is_default=True,
        base_url=SANDBOX,
        key_id=merchant.key_id,
        razorpay_key_secret=merchant.key_secret,
        razorpay_webhook_secret=merchant.webhook_secret,
        account_number=merchant.account_number,
    )


def test_a_payout_link_is_issued_claimed_and_completed_by_a_real_worker(
    postgres_only, monkeypatch, hospital, branch, gateway
):
    # PostgreSQL only: SQLite's in-memory test database is one shared cache, in which the
    # worker's thread and this one refuse each other at once ("database table is locked")
    # where `make run`'s file waits its turn (tests/test_embedded_sqlite_concurrency.py runs a
    # real worker on a real file).
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    chart_of_accounts_create(hospital=hospital)
    supplier = SupplierFactory(hospital=hospital, name="Medi Supply Co")
    invoice = SupplierInvoiceFactory(supplier=supplier, number="MS-9", amount=AMOUNT)
    staff = APIClient()
    staff.force_authenticate(UserFactory(hospital=hospital, roles=[ROLE_PAYMENTS_STAFF], branches=[branch]))
    body = {"supplier_id": supplier.pk, "amount": str(AMOUNT), "expire_in_hours": 24, "notify": ["email"],
            "invoices": [{"invoice_id": invoice.pk, "amount": str(AMOUNT)}]}  # fmt: skip

    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
        created = staff.post("/api/gateway/create-payment-link", body, format="json")
        assert created.status_code == 201, created.json()
        payment_id = created.json()["id"]
        issued = wait_for(
            lambda: (
                SupplierPayment.objects.filter(pk=payment_id, payout_link_status="issued")
                .exclude(payout_link_url="")
                .first()
            ),
            seconds=60,
        )
        assert issued is not None, "the worker did not issue the link"
        page = issued.payout_link_url.removeprefix("http://sandbox.testserver")
        claimed = Client(HTTP_HOST="sandbox.testserver").post(
            page, {"account_type": "vpa", "vpa": "medi@okhdfc"}
        )
        assert claimed.status_code == 200
        done = wait_for(
            lambda: SupplierPayment.objects.filter(pk=payment_id, status="completed").first(), seconds=90
        )
        # The link's own webhook (payout_link.processed) may come after the payout's: the
        # payment can read completed while its link still says processing (seen once in CI).
        wait_for(
            lambda: SupplierPayment.objects.filter(pk=payment_id, payout_link_status="processed").exists(),
            seconds=30,
        )
        # Late webhooks still on their way are applied (and ignored) before the worker stops.
        wait_for(
            lambda: not WebhookEvent.objects.exclude(status__in=("processed", "ignored")).exists(), seconds=30
        )

    assert done is not None, "the payment did not complete"
    done.refresh_from_db()
    assert done.utr and (done.fee, done.tax) == (FEE, Decimal("0.90"))
    assert done.payout_link_status == "processed"
    assert SupplierInvoice.objects.get(pk=invoice.pk).status == "paid"
    assert SandboxObject.objects.filter(entity="payout_link").count() == 1
    assert SandboxObject.objects.filter(entity="payout").count() == 1
    assert JournalEntry.objects.filter(source_id=str(payment_id)).count() == 1
    clearing = Account.objects.get(hospital=hospital, code=chart.clearing_account_code("razorpay"))
    assert account_balance(account=clearing) == -(AMOUNT + FEE)
    payable = Account.objects.get(hospital=hospital, code=chart.ACCOUNTS_PAYABLE)
    assert account_balance(account=payable) == AMOUNT
    rows = trial_balance(hospital=hospital)
    assert sum(row.debit for row in rows) == sum(row.credit for row in rows)
    kinds = set(WebhookEvent.objects.values_list("event_type", flat=True))
    assert {
        "payout_link.issued",
        "payout_link.processing",
        "payout_link.processed",
        "payout.processed",
    } <= kinds
