from decimal import Decimal

import pytest
from django.db import transaction

from skinspire.ledger.chart import ACCOUNTS_PAYABLE, BANK, GATEWAY_FEES
from skinspire.ledger.errors import EntryConflictError
from skinspire.ledger.models import JournalEntry, JournalLine
from skinspire.ledger.services import LineSpec, post_entry
from skinspire.ledger.tests.factories import pay_supplier

pytestmark = pytest.mark.django_db

SOURCE = ("payouts.supplierpayment", "9")


def test_posting_the_same_event_twice_returns_the_first_entry(chart, hospital):
    first = post_entry(
        hospital=hospital, source=SOURCE, event="payout.processed", lines=pay_supplier("250.00")
    )
    second = post_entry(
        hospital=hospital, source=SOURCE, event="payout.processed", lines=pay_supplier("250.00"), memo="retry"
    )

    assert second.pk == first.pk
    assert second.memo == ""
    assert JournalEntry.objects.count() == 1
    assert JournalLine.objects.count() == 2


def test_repeat_with_lines_in_another_order_and_notation_is_the_same_posting(chart, hospital):
    first = post_entry(
        hospital=hospital, source=SOURCE, event="payout.processed", lines=pay_supplier("250.00")
    )
    repeat = [LineSpec(BANK, credit="250"), LineSpec(ACCOUNTS_PAYABLE, debit=Decimal("250.0"))]

    assert post_entry(hospital=hospital, source=SOURCE, event="payout.processed", lines=repeat).pk == first.pk
    assert JournalLine.objects.count() == 2


def test_repeat_with_different_lines_is_a_conflict(chart, hospital):
    first = post_entry(
        hospital=hospital, source=SOURCE, event="payout.processed", lines=pay_supplier("250.00")
    )
    different = [
        LineSpec(ACCOUNTS_PAYABLE, debit="250.00"),
        LineSpec(BANK, credit="245.00"),
        LineSpec(GATEWAY_FEES, credit="5.00"),
    ]

    with pytest.raises(EntryConflictError) as raised:
        post_entry(hospital=hospital, source=SOURCE, event="payout.processed", lines=different)

    assert raised.value.status_code == 409
    assert raised.value.extra == {"entry_id": first.pk}
    assert JournalEntry.objects.count() == 1
    assert list(first.lines.values_list("account__code", "debit", "credit")) == [
        ("2000", Decimal("250.00"), Decimal("0.00")),
        ("1000", Decimal("0.00"), Decimal("250.00")),
    ]


def test_other_events_and_sources_post_their_own_entries(chart, hospital, other_hospital):
    post_entry(hospital=hospital, source=SOURCE, event="payout.processed", lines=pay_supplier("1"))
    post_entry(hospital=hospital, source=SOURCE, event="payout.fee", lines=pay_supplier("1"))
    post_entry(
        hospital=hospital,
        source=("payouts.supplierpayment", "10"),
        event="payout.processed",
        lines=pay_supplier("1"),
    )
    post_entry(hospital=other_hospital, source=SOURCE, event="payout.processed", lines=pay_supplier("1"))

    assert JournalEntry.objects.count() == 4


def test_repeat_inside_the_callers_transaction_leaves_it_usable(chart, hospital):
    with transaction.atomic():
        first = post_entry(
            hospital=hospital, source=SOURCE, event="payout.processed", lines=pay_supplier("3")
        )
        again = post_entry(
            hospital=hospital, source=SOURCE, event="payout.processed", lines=pay_supplier("3")
        )
        assert again.pk == first.pk
        assert JournalEntry.objects.filter(hospital=hospital).count() == 1
