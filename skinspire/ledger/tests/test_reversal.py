from decimal import Decimal

import pytest

from skinspire.ledger.chart import ACCOUNTS_PAYABLE, BANK, GATEWAY_FEES, RAZORPAY_CLEARING
from skinspire.ledger.models import Account, JournalEntry
from skinspire.ledger.selectors import account_balance
from skinspire.ledger.services import LineSpec, post_entry, reverse_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(chart, hospital):
    return post_entry(
        hospital=hospital,
        source=("payouts.supplierpayment", "5"),
        event="payout.processed",
        lines=[
            LineSpec(ACCOUNTS_PAYABLE, debit="1000.00", memo="INV-1"),
            LineSpec(RAZORPAY_CLEARING, credit="990.00"),
            LineSpec(GATEWAY_FEES, credit="10.00"),
        ],
    )


def test_reversal_posts_the_mirror_entry_linked_to_the_original(entry, staff_user):
    reversal = reverse_entry(entry=entry, reason="Payout reversed by bank", created_by=staff_user)

    assert (reversal.source_type, reversal.source_id, reversal.event) == (
        "payouts.supplierpayment",
        "5",
        "payout.processed.reversal",
    )
    assert (reversal.reverses_id, reversal.memo, reversal.created_by_id) == (
        entry.pk,
        "Payout reversed by bank",
        staff_user.pk,
    )
    # Lines are stored debits first (services/specs.py journal_lines).
    assert list(reversal.lines.values_list("account__code", "debit", "credit", "memo")) == [
        ("1100", Decimal("990.00"), Decimal("0.00"), ""),
        ("5000", Decimal("10.00"), Decimal("0.00"), ""),
        ("2000", Decimal("0.00"), Decimal("1000.00"), "INV-1"),
    ]
    assert list(entry.reversals.all()) == [reversal]


def test_after_a_reversal_every_touched_account_is_back_to_zero(entry, hospital):
    reverse_entry(entry=entry, reason="mistake")

    for code in (ACCOUNTS_PAYABLE, RAZORPAY_CLEARING, GATEWAY_FEES, BANK):
        assert account_balance(account=Account.objects.get(hospital=hospital, code=code)) == Decimal("0.00")


def test_reversing_twice_returns_the_first_reversal(entry):
    first = reverse_entry(entry=entry, reason="mistake")
    second = reverse_entry(entry=entry, reason="clicked twice")

    assert second.pk == first.pk
    assert JournalEntry.objects.count() == 2


def test_a_reversal_can_itself_be_reversed(entry, hospital):
    reversal = reverse_entry(entry=entry, reason="mistake")
    reinstated = reverse_entry(entry=reversal, reason="the reversal was the mistake")

    assert reinstated.event == "payout.processed.reversal.reversal"
    assert reinstated.reverses_id == reversal.pk
    payable = Account.objects.get(hospital=hospital, code=ACCOUNTS_PAYABLE)
    assert account_balance(account=payable) == Decimal("1000.00")
