"""Supplier payouts reconciled end to end: a payout made through the sandbox's RazorpayX is
found in the account statement (GET /v1/transactions) and matched by its payout id, and the
gateway's clearing account then holds exactly what is not settled yet, across payouts and
collections: a patient payment until the sandbox settles it, then nothing."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.providers.registry import provider_for
from skinspire.ledger import chart
from skinspire.ledger.models import Account, JournalEntry
from skinspire.ledger.selectors import account_balance
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.services.events import supplier_payment_apply_event
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory, bank_account
from skinspire.reconciliation.services.runs import reconciliation_run_start
from tests import collections_support as support
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db

AMOUNT, FEE = Decimal("2400.00"), Decimal("5.90")


def paid_supplier(
    hospital, branch, provider, capture, *, account_number="50100012345678", status="completed"
):
    supplier = SupplierFactory(hospital=hospital, name="Medi Supply Co")
    invoice = SupplierInvoiceFactory(supplier=supplier, number="MS-1", amount=AMOUNT)
    staff = APIClient()
    staff.force_authenticate(UserFactory(hospital=hospital, roles=[ROLE_PAYMENTS_STAFF], branches=[branch]))
    body = {"supplier_id": supplier.pk, "account_id": bank_account(supplier, account_number=account_number).pk, "amount": str(AMOUNT),
            "mode": "imps", "provider": provider, "invoices": [{"invoice_id": invoice.pk, "amount": str(AMOUNT)}]}  # fmt: skip
    with capture(execute=True):
        created = staff.post("/api/gateway/initiate-payout", body, format="json")
    assert created.status_code == 201, created.json()
    payment = SupplierPayment.objects.get(pk=created.json()["id"])
    for event in e2e.verified_events(provider_for(payment.configuration), e2e.received_from(provider)):
        supplier_payment_apply_event(event=event, configuration=payment.configuration)
    payment.refresh_from_db()
    assert payment.status == status
    return payment


def test_a_payout_matches_its_statement_line_and_clearing_keeps_only_the_unsettled(
    api_client, hospital, branch, demo_merchants, django_capture_on_commit_callbacks
):
    bill = support.bill_in_demo_hospital(hospital)
    payout = paid_supplier(hospital, branch, "razorpay", django_capture_on_commit_callbacks)
    collection = support.paid(api_client, bill, "razorpay")
    assert collection.configuration_id == payout.configuration_id  # one RazorpayX + PG account
    clearing = Account.objects.get(hospital=hospital, code=chart.RAZORPAY_CLEARING)
    # Captured 1,500.00 (debit); paid out 2,400.00 + 5.90 fees (credit); nothing settled.
    assert account_balance(account=clearing) == collection.amount - AMOUNT - FEE

    run = reconciliation_run_start(
        configuration=payout.configuration, run_date=timezone.localdate(), trigger="manual"
    )

    items = {(item.side, item.key): (item.category, item.match_pass) for item in run.items.all()}
    line = run.items.get(side="gateway")
    assert (line.kind, line.gateway_id, line.amount, line.fee, line.tax) == (
        "payout", payout.gateway_payout_id, AMOUNT, FEE, Decimal("0.90"),
    )  # fmt: skip
    assert line.key.startswith("txn_")
    assert items == {
        ("gateway", line.key): ("matched", "gateway_id"),
        ("system", f"payout:{payout.pk}"): ("matched", "gateway_id"),
        ("system", f"patient_payment:{collection.pk}"): ("expected", "none"),
    }
    assert (run.status, run.discrepancy_count, run.error_message) == ("completed", 0, "")
    assert (run.gross, run.fees, run.tax) == (-AMOUNT, FEE, Decimal("0.90"))
    (posted,) = JournalEntry.objects.filter(source_type="settlement")
    assert sorted(posted.lines.values_list("account__code", "debit", "credit")) == [
        (chart.BANK, Decimal("0.00"), AMOUNT + FEE),
        (chart.RAZORPAY_CLEARING, AMOUNT + FEE, Decimal("0.00")),
    ]
    # The payout has left clearing; what stays is the patient payment not settled yet.
    assert account_balance(account=clearing) == collection.amount

    support.settle_now(demo_merchants["razorpay"])
    again = reconciliation_run_start(
        configuration=payout.configuration, run_date=timezone.localdate(), trigger="manual"
    )

    assert again.items.get(key=f"patient_payment:{collection.pk}").category == "matched"
    assert again.items.get(key=f"payout:{payout.pk}").category == "matched"
    assert account_balance(account=clearing) == Decimal("0.00")


def test_paytm_payouts_are_left_out_and_the_run_says_so(
    api_client, hospital, branch, demo_merchants, django_capture_on_commit_callbacks, settings
):
    settings.PAYOUT_CALLBACK_URL = f"{e2e.HOOKS}/paytm/"
    chart_of_accounts_create(hospital=hospital)
    payout = paid_supplier(hospital, branch, "paytm", django_capture_on_commit_callbacks)

    run = reconciliation_run_start(
        configuration=payout.configuration, run_date=timezone.localdate(), trigger="manual"
    )

    assert run.status == "completed"
    assert run.error_message == "1 payout of ours not reconciled: the gateway offers no payout statement"
    assert not run.items.filter(key=f"payout:{payout.pk}").exists()


def test_a_reversed_payout_matches_its_debit_and_its_reversal_and_clearing_is_back_at_zero(
    hospital, branch, demo_merchants, django_capture_on_commit_callbacks
):
    chart_of_accounts_create(hospital=hospital)
    # The sandbox processes a payout to an account ending 9999, then reverses it.
    payout = paid_supplier(hospital, branch, "razorpay", django_capture_on_commit_callbacks,
                           account_number="50100012349999", status="reversed")  # fmt: skip
    clearing = Account.objects.get(hospital=hospital, code=chart.RAZORPAY_CLEARING)

    run = reconciliation_run_start(
        configuration=payout.configuration, run_date=timezone.localdate(), trigger="manual"
    )

    lines = {item.kind: (item.category, item.amount, item.fee) for item in run.items.filter(side="gateway")}
    assert lines == {"payout": ("matched", AMOUNT, FEE), "reversal": ("matched", AMOUNT, -FEE)}
    ours = {item.key: item.category for item in run.items.filter(side="system")}
    assert ours == {f"payout:{payout.pk}": "matched", f"payout_reversal:{payout.pk}": "matched"}
    assert (run.gross, run.fees, run.discrepancy_count) == (Decimal("0.00"), Decimal("0.00"), 0)
    assert JournalEntry.objects.filter(source_type="settlement").count() == 2
    assert account_balance(account=clearing) == Decimal("0.00")
