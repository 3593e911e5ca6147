import datetime
from decimal import Decimal

import pytest

from skinspire.ledger.chart import ACCOUNTS_PAYABLE, BANK, PATIENT_RECEIVABLES, RAZORPAY_CLEARING
from skinspire.ledger.models import Account
from skinspire.ledger.selectors import account_balance, trial_balance
from skinspire.ledger.services import LineSpec, post_entry
from skinspire.ledger.tests.factories import pay_supplier

pytestmark = pytest.mark.django_db

APRIL_1 = datetime.date(2026, 4, 1)
APRIL_2 = datetime.date(2026, 4, 2)


@pytest.fixture
def postings(chart, hospital, other_hospital):
    post_entry(
        hospital=hospital, source=("m", "1"), event="e", lines=pay_supplier("100.00"), entry_date=APRIL_1
    )
    post_entry(
        hospital=hospital,
        source=("m", "2"),
        event="e",
        lines=[LineSpec(RAZORPAY_CLEARING, debit="40.50"), LineSpec(PATIENT_RECEIVABLES, credit="40.50")],
        entry_date=APRIL_2,
    )
    # Another hospital's book must not leak into this one.
    post_entry(hospital=other_hospital, source=("m", "1"), event="e", lines=pay_supplier("999.00"))


def test_trial_balance_lists_every_account_with_its_totals(postings, hospital):
    rows = trial_balance(hospital=hospital)

    assert [(row.code, row.debit, row.credit, row.balance) for row in rows] == [
        ("1000", Decimal("0.00"), Decimal("100.00"), Decimal("-100.00")),
        ("1100", Decimal("40.50"), Decimal("0.00"), Decimal("40.50")),
        ("1110", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ("1200", Decimal("0.00"), Decimal("40.50"), Decimal("-40.50")),
        ("1300", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ("2000", Decimal("100.00"), Decimal("0.00"), Decimal("100.00")),
        ("4900", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ("5000", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
    ]
    assert (rows[0].name, rows[0].type) == ("Bank", "asset")


def test_trial_balance_as_of_a_date_leaves_later_entries_out(postings, hospital):
    rows = {row.code: row for row in trial_balance(hospital=hospital, as_of=APRIL_1)}

    assert (rows["2000"].debit, rows["1000"].credit) == (Decimal("100.00"), Decimal("100.00"))
    assert (rows["1100"].debit, rows["1200"].credit) == (Decimal("0.00"), Decimal("0.00"))


def test_account_balance_is_debit_minus_credit(postings, hospital):
    bank = Account.objects.get(hospital=hospital, code=BANK)
    payable = Account.objects.get(hospital=hospital, code=ACCOUNTS_PAYABLE)
    clearing = Account.objects.get(hospital=hospital, code=RAZORPAY_CLEARING)

    assert account_balance(account=bank) == Decimal("-100.00")
    assert account_balance(account=payable) == Decimal("100.00")
    assert account_balance(account=clearing) == Decimal("40.50")
    assert account_balance(account=clearing, as_of=APRIL_1) == Decimal("0.00")
