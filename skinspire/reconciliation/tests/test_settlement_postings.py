"""A settlement posts once: Dr bank, Dr gateway fees, Dr GST input, Cr clearing; with the
captures and refunds posted, the clearing account nets to zero once all is settled."""

from datetime import date
from decimal import Decimal

import pytest

from skinspire.ledger.chart import (
    BANK,
    GATEWAY_FEES,
    GST_INPUT,
    PATIENT_RECEIVABLES,
    RAZORPAY_CLEARING,
    REFUNDS,
)
from skinspire.ledger.models import Account, JournalEntry
from skinspire.ledger.selectors import account_balance
from skinspire.ledger.services import LineSpec, chart_of_accounts_create, post_entry
from skinspire.reconciliation.engine import GatewayRow, Kind, RowStatus
from skinspire.reconciliation.services.runs import reconciliation_run_start

pytestmark = pytest.mark.django_db

DAY = date(2026, 4, 20)


def line(key: str, kind: Kind, amount: str, fee: str, tax: str, settlement: str = "setl_A") -> GatewayRow:
    return GatewayRow(
        key=f"{settlement}/{key}", gateway_id=key, utr="UTR1", amount=Decimal(amount), fee=Decimal(fee),
        tax=Decimal(tax), status=RowStatus.SUCCESS, date=DAY, kind=kind, settlement_id=settlement, settled_on=DAY,
    )  # fmt: skip


SETTLEMENT = [
    line("pay_1", Kind.COLLECTION, "1000.00", "23.60", "3.60"),
    line("pay_2", Kind.COLLECTION, "500.00", "11.80", "1.80"),
    line("rfnd_1", Kind.REFUND, "200.00", "0.00", "0.00"),
]


def balance(hospital, code: str) -> Decimal:
    return account_balance(account=Account.objects.get(hospital=hospital, code=code))


def test_a_settlement_posts_once_and_the_clearing_account_nets_to_zero(hospital, configuration):
    chart_of_accounts_create(hospital=hospital)
    # What collections post when money is captured and refunded (their own services will):
    for gateway_id, amount in (("pay_1", "1000.00"), ("pay_2", "500.00")):
        lines = [
            LineSpec(RAZORPAY_CLEARING, debit=Decimal(amount)),
            LineSpec(PATIENT_RECEIVABLES, credit=Decimal(amount)),
        ]
        post_entry(hospital=hospital, source=("capture", gateway_id), event="captured", lines=lines)
    refund = [
        LineSpec(REFUNDS, debit=Decimal("200.00")),
        LineSpec(RAZORPAY_CLEARING, credit=Decimal("200.00")),
    ]
    post_entry(hospital=hospital, source=("refund", "rfnd_1"), event="refunded", lines=refund)
    assert balance(hospital, RAZORPAY_CLEARING) == Decimal("1300.00")  # unsettled: captures less refunds

    run = reconciliation_run_start(
        configuration=configuration, run_date=DAY, trigger="upload", gateway_rows=SETTLEMENT
    )
    reconciliation_run_start(
        configuration=configuration, run_date=DAY, trigger="upload", gateway_rows=SETTLEMENT
    )

    (entry,) = JournalEntry.objects.filter(source_type="settlement")
    assert (entry.source_id, entry.event, entry.entry_date) == ("razorpay:setl_A", "settlement.settled", DAY)
    assert entry.memo == f"razorpay settlement setl_A (3 lines), reconciliation run #{run.pk}"
    assert sorted(entry.lines.values_list("account__code", "debit", "credit")) == [
        (BANK, Decimal("1264.60"), Decimal("0.00")),
        (RAZORPAY_CLEARING, Decimal("0.00"), Decimal("1300.00")),
        (GST_INPUT, Decimal("5.40"), Decimal("0.00")),
        (GATEWAY_FEES, Decimal("30.00"), Decimal("0.00")),
    ]
    assert balance(hospital, RAZORPAY_CLEARING) == Decimal("0.00")
    assert (run.error_message, run.net) == ("", Decimal("1264.60"))


def test_a_settlement_with_an_adjustment_is_left_to_the_accountant(hospital, configuration):
    chart_of_accounts_create(hospital=hospital)
    rows = [*SETTLEMENT, line("adj_1", Kind.ADJUSTMENT, "50.00", "0.00", "0.00")]

    run = reconciliation_run_start(
        configuration=configuration, run_date=DAY, trigger="upload", gateway_rows=rows
    )

    assert JournalEntry.objects.filter(source_type="settlement").count() == 0
    assert (
        run.error_message
        == "settlement 'setl_A' not posted: it has lines other than payments, refunds and payouts"
    )
    assert run.status == "completed"


def test_a_day_of_more_refunds_than_sales_credits_the_bank(hospital, configuration):
    chart_of_accounts_create(hospital=hospital)
    rows = [
        line("pay_9", Kind.COLLECTION, "100.00", "2.36", "0.36", "setl_B"),
        line("rfnd_9", Kind.REFUND, "300.00", "0.00", "0.00", "setl_B"),
    ]

    reconciliation_run_start(configuration=configuration, run_date=DAY, trigger="upload", gateway_rows=rows)

    (entry,) = JournalEntry.objects.filter(source_type="settlement")
    assert sorted(entry.lines.values_list("account__code", "debit", "credit")) == [
        (BANK, Decimal("0.00"), Decimal("202.36")),
        (RAZORPAY_CLEARING, Decimal("200.00"), Decimal("0.00")),
        (GST_INPUT, Decimal("0.36"), Decimal("0.00")),
        (GATEWAY_FEES, Decimal("2.00"), Decimal("0.00")),
    ]


def test_payout_statement_lines_post_against_the_bank_and_a_reversal_mirrors_them(hospital, configuration):
    chart_of_accounts_create(hospital=hospital)
    paid = line("pout_1", Kind.PAYOUT, "2400.00", "5.90", "0.90", "txn_1")
    back = line("pout_1", Kind.PAYOUT_REVERSAL, "2400.00", "-5.90", "-0.90", "txn_2")

    reconciliation_run_start(
        configuration=configuration, run_date=DAY, trigger="upload", gateway_rows=[paid, back]
    )

    entries = {entry.source_id: entry for entry in JournalEntry.objects.filter(source_type="settlement")}
    # One line each: "(1 line)", not "(1 lines)".
    assert entries["razorpay:txn_1"].memo.startswith(
        "razorpay settlement txn_1 (1 line), reconciliation run #"
    )
    assert sorted(entries["razorpay:txn_1"].lines.values_list("account__code", "debit", "credit")) == [
        (BANK, Decimal("0.00"), Decimal("2405.90")),
        (RAZORPAY_CLEARING, Decimal("2405.90"), Decimal("0.00")),
    ]
    assert sorted(entries["razorpay:txn_2"].lines.values_list("account__code", "debit", "credit")) == [
        (BANK, Decimal("2405.90"), Decimal("0.00")),
        (RAZORPAY_CLEARING, Decimal("0.00"), Decimal("2405.90")),
    ]
