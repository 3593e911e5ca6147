"""Payouts through the engine, as the payouts statement and our supplier payments give them:
matched by payout id, by UTR + amount when the statement line lacks our id, a reversal
matched to our reversal row, a failed-before-debit payout nothing due, a lost one missing."""

from datetime import timedelta
from decimal import Decimal

from skinspire.reconciliation.engine import Category, Kind, Pass, RowStatus, reconcile
from skinspire.reconciliation.tests.rows import DAY, gateway_row, system_row

FEE, TAX = Decimal("5.90"), Decimal("0.90")


def payout_line(key: str, **overrides):
    fields = {"gateway_id": f"pout_{key}", "kind": Kind.PAYOUT, "amount": Decimal("2400.00"), "fee": FEE,
              "tax": TAX, "settlement_id": f"txn_{key}"}  # fmt: skip
    return gateway_row(f"txn_{key}/pout_{key}", **{**fields, **overrides})


def our_payout(key: str, **overrides):
    fields = {
        "gateway_id": f"pout_{key.split(':')[1]}",
        "kind": Kind.PAYOUT,
        "amount": Decimal("2400.00"),
        "expected_fee": FEE,
    }
    return system_row(key, **{**fields, **overrides})


def test_payouts_in_the_same_categories():
    gateway = [
        payout_line("a"),
        payout_line("b", gateway_id="", utr="UTR-B"),  # a statement line without the payout id
        payout_line("c"),
        payout_line(
            "r", kind=Kind.PAYOUT_REVERSAL, gateway_id="pout_c", fee=-FEE, tax=-TAX, settlement_id="txn_r"
        ),
        payout_line("d", fee=Decimal("11.80")),
    ]
    ours = [
        our_payout("payout:a"),
        our_payout("payout:b", gateway_id="pout_b", utr="UTR-B"),
        our_payout("payout:c"),  # reversed after it left the balance: a payout row ...
        our_payout("payout_reversal:c", gateway_id="pout_c", kind=Kind.PAYOUT_REVERSAL, expected_fee=-FEE),  # ... and its return
        our_payout("payout:d"),  # charged another fee than the gateway reported to us
        our_payout("payout:e", status=RowStatus.FAILED, expected_fee=None),  # failed before any debit
        our_payout("payout:f", date=DAY - timedelta(days=5)),  # never debited
    ]  # fmt: skip

    result = reconcile(gateway_rows=gateway, system_rows=ours, as_of=DAY)

    found = {(outcome.system_keys, outcome.category, outcome.match_pass) for outcome in result.outcomes}
    assert found == {
        (("payout:a",), Category.MATCHED, Pass.GATEWAY_ID),
        (("payout:b",), Category.MATCHED, Pass.UTR_AMOUNT),
        (("payout:c",), Category.MATCHED, Pass.GATEWAY_ID),
        (("payout_reversal:c",), Category.MATCHED, Pass.GATEWAY_ID),
        (("payout:d",), Category.FEE_MISMATCH, Pass.GATEWAY_ID),
        (("payout:e",), Category.NOTHING_DUE, Pass.NONE),
        (("payout:f",), Category.MISSING_AT_GATEWAY, Pass.NONE),
    }
    # Four payouts out (with their fees), one came back with its fees.
    assert (result.totals.gross, result.totals.fees, result.totals.tax) == (
        Decimal("-7200.00"), Decimal("23.60"), Decimal("2.70"),
    )  # fmt: skip
