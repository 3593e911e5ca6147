"""Supplier payouts as rows of ours for the payouts statement: what reached the gateway,
dated when it moved; a payout whose money came back is also a reversal row expecting the
statement's credit (fees given back); one that failed before any debit is just failed."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.money_rows import create_in
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, bank_account
from skinspire.reconciliation.engine import Category, Kind, RowStatus, SystemRow, reconcile
from skinspire.reconciliation.sources.payouts import supplier_payout_rows
from skinspire.reconciliation.tests import sandbox_support
from skinspire.reconciliation.tests.rows import gateway_row

pytestmark = pytest.mark.django_db

# 20:00 UTC on the 10th is 01:30 on the 11th in India: the row's date is India's.
LATE_EVENING_UTC = datetime(2026, 4, 10, 20, 0, tzinfo=UTC)
WINDOW = {"start": date(2026, 4, 9), "end": date(2026, 4, 12)}


@pytest.fixture
def pay(hospital, configuration):
    supplier = SupplierFactory(hospital=hospital)
    account, maker = bank_account(supplier), UserFactory(hospital=hospital)

    def make(number: int, **fields) -> SupplierPayment:
        values = {"hospital": hospital, "supplier": supplier, "account": account, "method": "gateway_payout",
                  "mode": "imps", "amount": Decimal("2400.00"), "reference": f"SP-{number}",
                  "idempotency_key": f"key-{number}", "created_by": maker, "configuration": configuration,
                  "gateway_payout_id": f"pout_{number}", **fields}  # fmt: skip
        payment = create_in(SupplierPayment, **values)
        # auto_now fields set as if the payment had moved on that day
        SupplierPayment.objects.filter(pk=payment.pk).update(
            created_at=LATE_EVENING_UTC, updated_at=LATE_EVENING_UTC
        )
        payment.refresh_from_db()
        return payment

    return make


def test_payouts_that_reached_the_gateway_with_reversal_rows(pay, configuration):
    fee, tax = Decimal("5.90"), Decimal("0.90")
    done = pay(1, status="completed", fee=fee, tax=tax, utr="UTR1", completed_at=LATE_EVENING_UTC)
    back = pay(2, status="reversed", fee=fee, tax=tax, completed_at=LATE_EVENING_UTC)
    refused = pay(3, status="failed")  # failed before RazorpayX debited it: no fees charged
    moving = pay(4, status="processing", submitted_at=LATE_EVENING_UTC)
    pay(5, status="approved", gateway_payout_id="")  # never sent

    rows = supplier_payout_rows(configuration=configuration, **WINDOW)

    day = date(2026, 4, 11)
    payout = {"kind": Kind.PAYOUT, "date": day, "amount": Decimal("2400.00")}
    assert rows == [
        SystemRow(key=f"payout:{done.pk}", gateway_id="pout_1", utr="UTR1", expected_fee=fee,
                  status=RowStatus.SUCCESS, reference="SP-1", **payout),
        SystemRow(key=f"payout:{back.pk}", gateway_id="pout_2", utr="", expected_fee=fee,
                  status=RowStatus.SUCCESS, reference="SP-2", **payout),
        SystemRow(key=f"payout_reversal:{back.pk}", gateway_id="pout_2", utr="", amount=Decimal("2400.00"),
                  expected_fee=-fee, status=RowStatus.SUCCESS, date=day, kind=Kind.PAYOUT_REVERSAL,
                  reference="SP-2"),
        SystemRow(key=f"payout:{refused.pk}", gateway_id="pout_3", utr="", expected_fee=None,
                  status=RowStatus.FAILED, reference="SP-3", **payout),
        SystemRow(key=f"payout:{moving.pk}", gateway_id="pout_4", utr="", expected_fee=None,
                  status=RowStatus.PENDING, reference="SP-4", **payout),
    ]  # fmt: skip


def test_another_configurations_payouts_and_other_days_are_left_out(pay, configuration, hospital):
    pay(
        1,
        status="completed",
        completed_at=LATE_EVENING_UTC,
        configuration=sandbox_support.razorpay_configuration(hospital),
    )
    pay(2, status="completed", completed_at=datetime(2026, 4, 1, 6, 0, tzinfo=UTC))

    assert supplier_payout_rows(configuration=configuration, **WINDOW) == []


def test_a_payout_links_failed_claims_are_a_debit_and_its_credit_back(pay, configuration):
    """A claim's payout that failed after RazorpayX debited it (its fee says so) is the pair
    the statement shows; one refused before the debit is just failed; one outside the window
    is left out. The link itself is still open (no payout of its own yet)."""
    fee = Decimal("5.90")
    attempts = [
        {"payout_id": "pout_A1", "fee": str(fee), "tax": "0.90", "failed_at": LATE_EVENING_UTC.isoformat()},
        {"payout_id": "pout_A2", "fee": None, "tax": None, "failed_at": LATE_EVENING_UTC.isoformat()},
        {"payout_id": "pout_A0", "fee": str(fee), "tax": "0.90", "failed_at": "2026-04-01T10:00:00+00:00"},
    ]
    link = pay(6, method="payout_link", mode="supplier_choice", account=None, status="processing",
               gateway_payout_id="", failed_payout_attempts=attempts)  # fmt: skip

    rows = supplier_payout_rows(configuration=configuration, **WINDOW)

    day, key = date(2026, 4, 11), f"{link.pk}:pout_A"
    common = {"utr": "", "amount": Decimal("2400.00"), "date": day, "reference": "SP-6"}
    assert rows == [
        SystemRow(key=f"payout_attempt:{key}1", gateway_id="pout_A1", expected_fee=fee, status=RowStatus.SUCCESS,
                  kind=Kind.PAYOUT, **common),
        SystemRow(key=f"payout_attempt_reversal:{key}1", gateway_id="pout_A1", expected_fee=-fee,
                  status=RowStatus.SUCCESS, kind=Kind.PAYOUT_REVERSAL, **common),
        SystemRow(key=f"payout_attempt:{key}2", gateway_id="pout_A2", expected_fee=None, status=RowStatus.FAILED,
                  kind=Kind.PAYOUT, **common),
    ]  # fmt: skip


def test_a_failed_claims_debit_and_credit_back_reconcile(pay, configuration):
    """The statement's two lines of the failed claim's payout match the attempt's two rows;
    without them they were gateway-only lines with no payment of ours."""
    fee, tax = Decimal("5.90"), Decimal("0.90")
    attempt = {
        "payout_id": "pout_A1",
        "fee": str(fee),
        "tax": str(tax),
        "failed_at": LATE_EVENING_UTC.isoformat(),
    }
    pay(7, method="payout_link", mode="supplier_choice", account=None, status="processing", gateway_payout_id="",
        failed_payout_attempts=[attempt])  # fmt: skip
    day = date(2026, 4, 11)
    line = {"gateway_id": "pout_A1", "amount": Decimal("2400.00"), "date": day, "settled_on": day}
    statement = [
        gateway_row("txn_1/pout_A1", kind=Kind.PAYOUT, fee=fee, tax=tax, settlement_id="txn_1", **line),
        gateway_row(
            "txn_2/pout_A1", kind=Kind.PAYOUT_REVERSAL, fee=-fee, tax=-tax, settlement_id="txn_2", **line
        ),
    ]

    result = reconcile(
        gateway_rows=statement,
        system_rows=supplier_payout_rows(configuration=configuration, **WINDOW),
        as_of=day,
    )

    assert sorted(
        (outcome.system_keys[0].split(":")[0], outcome.category) for outcome in result.outcomes
    ) == [
        ("payout_attempt", Category.MATCHED),
        ("payout_attempt_reversal", Category.MATCHED),
    ]
    assert result.totals.gross == Decimal("0.00")
    without = reconcile(gateway_rows=statement, system_rows=[], as_of=day)
    assert Category.MATCHED not in {outcome.category for outcome in without.outcomes}
